// Sliding-window limits on failed logins, per user name and per client.
#include <gtest/gtest.h>

#include "LoginRateLimiter.h"

namespace mis {
namespace {

TEST(LoginRateLimiter, FifthFailureBlocksUntilTheFirstLeavesTheWindow) {
  LoginRateLimiter limiter;  // 5 per name, 20 per client, 60 s
  for (int64_t t = 0; t < 5; ++t) {
    EXPECT_EQ(limiter.RetryAfter("alice", "c", 100 + t), 0);
    limiter.RecordFailure("alice", "c", 100 + t);
  }
  EXPECT_EQ(limiter.RetryAfter("alice", "c", 104), 56);  // 100 + 60 - 104
  EXPECT_EQ(limiter.RetryAfter("alice", "c", 159), 1);
  EXPECT_EQ(limiter.RetryAfter("alice", "c", 160), 0);
  EXPECT_EQ(limiter.RetryAfter("bob", "c", 104), 0);  // another name is not blocked
}

TEST(LoginRateLimiter, OneClientTryingManyNamesIsBlocked) {
  LoginRateLimiter limiter(LoginRateLimiter::Limits{5, 3, 60});
  limiter.RecordFailure("a", "attacker", 0);
  limiter.RecordFailure("b", "attacker", 1);
  limiter.RecordFailure("c", "attacker", 2);
  EXPECT_EQ(limiter.RetryAfter("d", "attacker", 3), 57);
  EXPECT_EQ(limiter.RetryAfter("d", "someone-else", 3), 0);
}

}  // namespace
}  // namespace mis
