// Who the client is, as the plugin learns it behind the HTTP front: nginx
// replaces any X-Forwarded-For a client sends with the address it sees, and
// the plugin, trusting the front (TrustedProxies), counts failed logins per
// that address and writes it in the audit trail. Clients connect from
// different loopback addresses (127.0.0.2, 127.0.0.3), which nginx tells apart
// although every request reaches Orthanc from 127.0.0.1.

#include <gtest/gtest.h>

#include <string>

#include "AuthHelpers.h"
#include "ServerSuite.h"

namespace mis::test {
namespace {

// Per name 2 failed logins a minute, per client address 4 x 2 = 8.
constexpr int kFailuresPerName = 2;
constexpr int kFailuresPerClient = 4 * kFailuresPerName;

class FrontForwardingTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    options.pluginSettings["MaxLoginFailures"] = kFailuresPerName;
    StartServer(options);
  }

 protected:
  // A failed login as `name`, claiming to come from `forwardedFor`.
  static HttpResponse FailedLogin(const HttpClient& client, const std::string& name,
                                  const std::string& forwardedFor) {
    Json::Value body(Json::objectValue);
    body["username"] = name;
    body["password"] = "not-the-password";
    return client.Post("/api/auth/login", body.toStyledString(), "application/json",
                       {{"X-Forwarded-For", forwardedFor}});
  }

  // The client address of the last audit record.
  static std::string LastAuditClient() {
    const HttpResponse audit = Http().Get("/api/audit?limit=1");
    return audit.Json()["events"][0]["client"].asString();
  }
};

TEST_F(FrontForwardingTest, ForgedForwardedForIsReplacedByTheFront) {
  const HttpClient client = Server().AnonymousHttp().FromAddress("127.0.0.2");
  ASSERT_EQ(FailedLogin(client, "forger-1", "203.0.113.9").status, 401);
  EXPECT_EQ(LastAuditClient(), "127.0.0.2");
  ASSERT_EQ(FailedLogin(client, "forger-2", "203.0.113.9, 198.51.100.7").status, 401);
  EXPECT_EQ(LastAuditClient(), "127.0.0.2");
  // What the front prevents: the plugin believes the header from its trusted
  // peer, so the same request straight to Orthanc from 127.0.0.1 is taken at
  // its word.
  const HttpClient direct = Server().DirectHttp().Anonymous();
  ASSERT_EQ(FailedLogin(direct, "forger-3", "203.0.113.9").status, 401);
  EXPECT_EQ(LastAuditClient(), "203.0.113.9");
}

TEST_F(FrontForwardingTest, LoginLimitCountsEachClientOfTheFront) {
  const HttpClient first = Server().AnonymousHttp().FromAddress("127.0.0.3");
  const HttpClient second = Server().AnonymousHttp().FromAddress("127.0.0.4");
  // The first client fails once for each of many names (under the per-name
  // limit), each time claiming another address: were the claims believed,
  // no address would reach the per-client limit.
  for (int i = 0; i < kFailuresPerClient; ++i) {
    const HttpResponse failed =
        FailedLogin(first, "guess-" + std::to_string(i), "198.51.100." + std::to_string(i + 1));
    ASSERT_EQ(failed.status, 401) << "attempt " << i << ": " << failed.body;
  }
  const HttpResponse limited = FailedLogin(first, "guess-fresh", "198.51.100.200");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_GE(std::stoi(limited.Header("retry-after").empty() ? "0" : limited.Header("retry-after")),
            1);
  EXPECT_EQ(limited.Json()["error"].asString(), "too_many_attempts");
  EXPECT_EQ(LastAuditClient(), "127.0.0.3");
  // Another client of the front is not held back by the first one's failures.
  const HttpResponse other = FailedLogin(second, "guess-other", "127.0.0.3");
  EXPECT_EQ(other.status, 401) << other.body;
  EXPECT_EQ(LastAuditClient(), "127.0.0.4");
}

}  // namespace
}  // namespace mis::test
