#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "UserStore.h"

namespace mis {

// Counts failed logins per user name and per client address in a sliding
// window. Once a key has its maximum of failures in the window, further
// attempts are refused until the oldest failure leaves the window, even with
// the right password (an attacker must not learn when a guess was right).
// The failures live in the user store, so every server on one database
// enforces the same limits and a restart does not reset them.
class LoginRateLimiter {
 public:
  struct Limits {
    unsigned failuresPerName = 5;
    unsigned failuresPerClient = 20;
    int64_t windowSeconds = 60;
  };

  explicit LoginRateLimiter(UserStore& store) : LoginRateLimiter(store, Limits{}) {}
  LoginRateLimiter(UserStore& store, const Limits& limits) : store_(store), limits_(limits) {}

  // Seconds before an attempt for (name, client) is allowed again; 0 if it is now.
  int64_t RetryAfter(const std::string& name, const std::string& client, int64_t now);
  // Also forgets, at most once a window, the failures that left it.
  void RecordFailure(const std::string& name, const std::string& client, int64_t now);

 private:
  int64_t RetryAfter(LoginFailureKey key, const std::string& value, unsigned maximum,
                     int64_t now);

  UserStore& store_;
  Limits limits_;
  std::atomic<int64_t> lastPurge_{0};
};

}  // namespace mis
