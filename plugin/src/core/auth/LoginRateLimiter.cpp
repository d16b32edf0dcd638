#include "LoginRateLimiter.h"

#include <algorithm>

namespace mis {

int64_t LoginRateLimiter::RetryAfter(LoginFailureKey key, const std::string& value,
                                     unsigned maximum, int64_t now) {
  // Blocked while the maximum-th most recent failure is still in the window.
  const std::optional<int64_t> failure = store_.NthLatestLoginFailure(
      key, value, now - limits_.windowSeconds, std::max(maximum, 1u));
  return failure ? *failure + limits_.windowSeconds - now : 0;
}

int64_t LoginRateLimiter::RetryAfter(const std::string& name, const std::string& client,
                                     int64_t now) {
  return std::max(RetryAfter(LoginFailureKey::kName, name, limits_.failuresPerName, now),
                  RetryAfter(LoginFailureKey::kClient, client, limits_.failuresPerClient, now));
}

void LoginRateLimiter::RecordFailure(const std::string& name, const std::string& client,
                                     int64_t now) {
  store_.RecordLoginFailure(name, client, now);
  // Old rows go once a window per server: the table holds about one window of
  // failures, which the limits themselves bound per client.
  int64_t last = lastPurge_.load();
  if (now - last >= limits_.windowSeconds && lastPurge_.compare_exchange_strong(last, now)) {
    store_.ForgetLoginFailuresUntil(now - limits_.windowSeconds);
  }
}

}  // namespace mis
