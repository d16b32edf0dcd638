// Sliding-window limits on failed logins, per user name and per client, with
// the failures kept in a (SQLite) user store.
#include <gtest/gtest.h>

#include "LoginRateLimiter.h"
#include "SqliteUserStore.h"
#include "TemporaryFile.h"

namespace mis {
namespace {

class LoginRateLimiterTest : public ::testing::Test {
 protected:
  test::TemporaryFolder folder_;
  SqliteUserStore store_{folder_.File("users.sqlite")};
};

TEST_F(LoginRateLimiterTest, FifthFailureBlocksUntilTheFirstLeavesTheWindow) {
  LoginRateLimiter limiter(store_);  // 5 per name, 20 per client, 60 s
  for (int64_t t = 0; t < 5; ++t) {
    EXPECT_EQ(limiter.RetryAfter("alice", "c", 100 + t), 0);
    limiter.RecordFailure("alice", "c", 100 + t);
  }
  EXPECT_EQ(limiter.RetryAfter("alice", "c", 104), 56);  // 100 + 60 - 104
  EXPECT_EQ(limiter.RetryAfter("alice", "c", 159), 1);
  EXPECT_EQ(limiter.RetryAfter("alice", "c", 160), 0);
  EXPECT_EQ(limiter.RetryAfter("bob", "c", 104), 0);  // another name is not blocked
}

TEST_F(LoginRateLimiterTest, OneClientTryingManyNamesIsBlocked) {
  LoginRateLimiter limiter(store_, LoginRateLimiter::Limits{5, 3, 60});
  limiter.RecordFailure("a", "attacker", 0);
  limiter.RecordFailure("b", "attacker", 1);
  limiter.RecordFailure("c", "attacker", 2);
  EXPECT_EQ(limiter.RetryAfter("d", "attacker", 3), 57);
  EXPECT_EQ(limiter.RetryAfter("d", "someone-else", 3), 0);
}

// Two limiters on one store stand for two servers on one database.
TEST_F(LoginRateLimiterTest, FailuresCountedByOneLimiterBlockAnother) {
  LoginRateLimiter first(store_);
  LoginRateLimiter second(store_);
  for (int64_t t = 0; t < 3; ++t) first.RecordFailure("alice", "c1", 100 + t);
  for (int64_t t = 3; t < 5; ++t) second.RecordFailure("alice", "c2", 100 + t);
  EXPECT_EQ(first.RetryAfter("alice", "c3", 105), 55);
  EXPECT_EQ(second.RetryAfter("alice", "c3", 105), 55);
}

TEST_F(LoginRateLimiterTest, FailuresThatLeftTheWindowAreForgotten) {
  LoginRateLimiter limiter(store_);
  limiter.RecordFailure("alice", "c", 100);
  EXPECT_TRUE(store_.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1));
  limiter.RecordFailure("bob", "c", 200);  // a window later: the purge runs
  EXPECT_FALSE(store_.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1));
  EXPECT_EQ(store_.NthLatestLoginFailure(LoginFailureKey::kName, "bob", 0, 1), 200);
}

}  // namespace
}  // namespace mis
