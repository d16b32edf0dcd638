#include "LoginRateLimiter.h"

#include <algorithm>

namespace mis {
namespace {
// Bounds the memory an attacker can make us spend on made-up names.
constexpr size_t kMaxTrackedKeys = 100000;
}  // namespace

int64_t LoginRateLimiter::RetryAfter(std::unordered_map<std::string, Failures>& table,
                                     const std::string& key, unsigned maximum, int64_t now) {
  auto found = table.find(key);
  if (found == table.end()) return 0;
  Failures& failures = found->second;
  while (!failures.empty() && failures.front() <= now - limits_.windowSeconds) {
    failures.pop_front();
  }
  if (failures.size() < maximum) return 0;
  return failures[failures.size() - maximum] + limits_.windowSeconds - now;
}

int64_t LoginRateLimiter::RetryAfter(const std::string& name, const std::string& client,
                                     int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::max(RetryAfter(byName_, name, limits_.failuresPerName, now),
                  RetryAfter(byClient_, client, limits_.failuresPerClient, now));
}

void LoginRateLimiter::Forget(std::unordered_map<std::string, Failures>& table, int64_t now) {
  for (auto it = table.begin(); it != table.end();) {
    if (it->second.empty() || it->second.back() <= now - limits_.windowSeconds) {
      it = table.erase(it);
    } else {
      ++it;
    }
  }
}

void LoginRateLimiter::RecordFailure(const std::string& name, const std::string& client,
                                     int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (byName_.size() >= kMaxTrackedKeys) Forget(byName_, now);
  if (byClient_.size() >= kMaxTrackedKeys) Forget(byClient_, now);
  byName_[name].push_back(now);
  byClient_[client].push_back(now);
}

}  // namespace mis
