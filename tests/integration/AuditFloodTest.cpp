// The audit trail under a flood of failed logins (issue 16, item 9): 1,000
// failed logins from one address in 1.8 s added 1,000 permanent rows, 980 of
// them the limiter's refusals. Now the refusals of one client within one
// limiter window are one row with a count, so the trail grows by about one
// row a minute per attacking address while every attempt is still counted.
// Its own server: the flood locks 127.0.0.1 out of the login for a window.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "AuthHelpers.h"
#include "ServerSuite.h"

namespace mis::test {
namespace {

constexpr int kAttempts = 1000;
constexpr int kFailuresPerClient = 20;  // LoginRateLimiter's default per window

class AuditFloodTest : public ServerSuite {};

int64_t AuditTotal(const HttpResponse& audit) {
  if (audit.status != 200) throw std::runtime_error("GET /api/audit: " + audit.body);
  return audit.Json()["total"].asInt64();
}

TEST_F(AuditFloodTest, AThousandFailedLoginsAddAFewRowsThatCountThemAll) {
  // A session, not Basic: Basic from 127.0.0.1 is locked out with the rest.
  const std::string cookie = SessionCookie(Login(Server(), kAdminUser, kAdminPassword));
  const auto auditPage = [&](int64_t limit) {
    return Server().AnonymousHttp().Get("/api/audit?limit=" + std::to_string(limit),
                                        {{"Cookie", cookie}});
  };
  const int64_t before = AuditTotal(auditPage(1));

  int refused = 0;
  for (int i = 0; i < kAttempts; ++i) {
    const int status = Login(Server(), "flood-" + std::to_string(i % 7), "wrong").status;
    refused += status == 401 || status == 429;
  }
  EXPECT_EQ(refused, kAttempts);

  const int64_t added = AuditTotal(auditPage(1)) - before;
  std::printf("[ figures ] %d failed logins added %lld audit rows\n", kAttempts,
              static_cast<long long>(added));
  // 20 checked failures, then one row for the refusals (two if the flood
  // crossed a window's end).
  EXPECT_LE(added, kFailuresPerClient + 2);

  const HttpResponse audit = auditPage(added);
  ASSERT_EQ(audit.status, 200) << audit.body;
  const Json::Value events = audit.Json()["events"];
  int64_t counted = 0;
  for (const Json::Value& event : events) {
    ASSERT_EQ(event["action"].asString(), "login_failed") << event.toStyledString();
    EXPECT_EQ(event["client"].asString(), "127.0.0.1");
    counted += event["count"].asInt64();
    if (event["outcome"].asString() == "rate_limited") {
      EXPECT_EQ(event["user"].asString(), "*") << "the refusals were for several names";
      EXPECT_GE(event["last_time"].asInt64(), event["time"].asInt64());
    } else {
      EXPECT_EQ(event["count"].asInt64(), 1);
    }
  }
  EXPECT_EQ(counted, kAttempts) << "every attempt is in the trail, as a row or a count";
}

}  // namespace
}  // namespace mis::test
