#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mis {

// Counts failed logins per user name and per client address in a sliding
// window. Once a key has its maximum of failures in the window, further
// attempts are refused until the oldest failure leaves the window, even with
// the right password (an attacker must not learn when a guess was right).
class LoginRateLimiter {
 public:
  struct Limits {
    unsigned failuresPerName = 5;
    unsigned failuresPerClient = 20;
    int64_t windowSeconds = 60;
  };

  LoginRateLimiter() : LoginRateLimiter(Limits{}) {}
  explicit LoginRateLimiter(const Limits& limits) : limits_(limits) {}

  // Seconds before an attempt for (name, client) is allowed again; 0 if it is now.
  int64_t RetryAfter(const std::string& name, const std::string& client, int64_t now);
  void RecordFailure(const std::string& name, const std::string& client, int64_t now);

 private:
  using Failures = std::deque<int64_t>;
  int64_t RetryAfter(std::unordered_map<std::string, Failures>& table, const std::string& key,
                     unsigned maximum, int64_t now);
  void Forget(std::unordered_map<std::string, Failures>& table, int64_t now);

  Limits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> byName_;
  std::unordered_map<std::string, Failures> byClient_;
};

}  // namespace mis
