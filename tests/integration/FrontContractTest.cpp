// What the plugin tells the HTTP front (nginx) and takes from it, spoken to
// Orthanc directly (behind the test server's front): the access check behind
// auth_request, the challenges of a 401, the 429 Orthanc cannot send, and
// X-Forwarded-For / X-Forwarded-Proto believed from trusted proxies only.

#include <gtest/gtest.h>

#include <string>

#include "AuthHelpers.h"
#include "ServerSuite.h"

namespace mis::test {
namespace {

// The last audit record's client address.
std::string LastAuditClient(const OrthancServer& server) {
  const HttpResponse audit = server.DirectHttp().Get("/api/audit?limit=1");
  const Json::Value body = audit.Json();
  return body["events"][0]["client"].asString();
}

class FrontContractTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    options.pluginSettings["TrustedProxies"] = Json::Value(Json::arrayValue);
    options.pluginSettings["TrustedProxies"].append("127.0.0.1");
    options.pluginSettings["TrustedProxies"].append("::1");
    StartServer(options);
    AddUser(Server(), "carol", "carol-password-1");
  }

 protected:
  // GET /api/auth/check about `method` `target`, with the given headers.
  static HttpResponse Check(const std::string& method, const std::string& target,
                            HttpHeaders headers = {}) {
    headers.emplace_back("X-Original-Method", method);
    headers.emplace_back("X-Original-URI", target);
    return Direct().Get("/api/auth/check", headers);
  }
  // Orthanc itself, without credentials.
  static HttpClient Direct() { return Server().DirectHttp().Anonymous(); }
};

// HTTP Basic (RFC 7617): base64 of "carol:carol-password-1" and "carol:wrong".
const HttpHeaders kCarol = {{"Authorization", "Basic Y2Fyb2w6Y2Fyb2wtcGFzc3dvcmQtMQ=="}};
const HttpHeaders kCarolWrong = {{"Authorization", "Basic Y2Fyb2w6d3Jvbmc="}};

TEST_F(FrontContractTest, CheckChallengesWithBasicWhenThereAreNoCredentials) {
  for (const char* target : {"/dicom-web/studies", "/patients", "/instances"}) {
    const HttpResponse response = Check("GET", target);
    EXPECT_EQ(response.status, 401) << target;
    EXPECT_EQ(response.Header("www-authenticate"), kBasicChallenge) << target;
    EXPECT_EQ(response.Json()["error"].asString(), "unauthenticated") << target;
  }
  const HttpResponse wrong = Check("GET", "/dicom-web/studies", kCarolWrong);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Header("www-authenticate"), kBasicChallenge);
}

TEST_F(FrontContractTest, CheckAnswersAsTheFilterDecides) {
  const HttpHeaders& carol = kCarol;
  // Users read and send images; deleting is for administrators.
  EXPECT_EQ(Check("GET", "/dicom-web/studies?PatientID=x", carol).status, 200);
  EXPECT_EQ(Check("POST", "/instances", carol).status, 200);
  EXPECT_EQ(Check("DELETE", "/patients/abc", carol).status, 403);
  EXPECT_EQ(Check("GET", "/patients/abc?_method=DELETE", carol).status, 403);
  EXPECT_EQ(Check("GET", "/patients/abc?_method=DE%4CETE", carol).status, 403);
  HttpHeaders overridden = carol;
  overridden.emplace_back("X-Original-Method-Override", "DELETE");
  EXPECT_EQ(Check("GET", "/patients/abc", overridden).status, 403);
  // An administrator may.
  const HttpResponse admin =
      Server().DirectHttp().Get("/api/auth/check", {{"X-Original-Method", "DELETE"},
                                                    {"X-Original-URI", "/patients/abc"}});
  EXPECT_EQ(admin.status, 200) << admin.body;
  // The public routes need nothing; our other /api routes a logged-in user
  // (their own stricter levels come once reached), challenged as they do.
  EXPECT_EQ(Check("GET", "/ui/index.html").status, 200);
  EXPECT_EQ(Check("POST", "/api/auth/login").status, 200);
  EXPECT_EQ(Check("POST", "/api/volume", carol).status, 200);
  EXPECT_EQ(Check("GET", "/api/audit", carol).status, 200);
  const HttpResponse anonymousUpload = Check("POST", "/api/volume");
  EXPECT_EQ(anonymousUpload.status, 401);
  EXPECT_EQ(anonymousUpload.Header("www-authenticate"), kBearerChallenge);
  // Nothing to judge: refused.
  EXPECT_EQ(Check("", "/patients", carol).status, 403);
  EXPECT_EQ(Check("get", "/patients", carol).status, 403);
  EXPECT_EQ(Check("GET", "/patients/%zz", carol).status, 403);
  EXPECT_EQ(Direct().Get("/api/auth/check", carol).status, 403)
      << "no X-Original-Method: no method to allow";
}

TEST_F(FrontContractTest, ApiUnauthorizedChallengesWithBearer) {
  for (const char* path : {"/api/auth/me", "/api/default-series", "/api/audit"}) {
    const HttpResponse response = Direct().Get(path);
    EXPECT_EQ(response.status, 401) << path;
    EXPECT_EQ(response.Header("www-authenticate"), kBearerChallenge) << path;
  }
}

TEST_F(FrontContractTest, RateLimitedLoginsAskTheFrontFor429) {
  AddUser(Server(), "dave", "dave-password-1");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login(Direct(), "dave", "guess-" + std::to_string(i)).status, 401);
  }
  const HttpResponse limited = Login(Direct(), "dave", "dave-password-1");
  EXPECT_EQ(limited.status, 503) << limited.body;
  EXPECT_EQ(limited.Header("x-intended-status"), "429");
  const int wait = std::stoi(limited.Header("retry-after"));
  EXPECT_GE(wait, 1);
  EXPECT_EQ(limited.Json()["retry_after_seconds"].asInt(), wait);
  EXPECT_EQ(limited.Json()["error"].asString(), "too_many_attempts");
  // A 401 asks for nothing of the kind.
  EXPECT_FALSE(Login(Direct(), "carol", "wrong-password").HasHeader("x-intended-status"));
}

TEST_F(FrontContractTest, ForwardedForIsTheClientFromATrustedProxy) {
  // From 127.0.0.1, trusted here: the last entry is the client.
  ASSERT_EQ(Direct()
                .Post("/api/auth/login", R"({"username":"carol","password":"not-it"})",
                      "application/json", {{"X-Forwarded-For", "6.6.6.6, 203.0.113.9"}})
                .status,
            401);
  EXPECT_EQ(LastAuditClient(Server()), "203.0.113.9");
}

TEST_F(FrontContractTest, HttpsAtTheFrontMakesTheCookieSecure) {
  const HttpResponse plain = Login(Direct(), "carol", "carol-password-1");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.Header("set-cookie").find("Secure"), std::string::npos);
  const HttpResponse overTls =
      Direct().Post("/api/auth/login", R"({"username":"carol","password":"carol-password-1"})",
                    "application/json", {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(overTls.status, 200);
  EXPECT_NE(overTls.Header("set-cookie").find("; Secure"), std::string::npos);
}

// The default: no proxy is trusted, the headers change nothing (a server
// without a front, whose harness would trust it).
class UntrustedFrontTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    options.front = false;
    StartServer(options);
    AddUser(Server(), "erin", "erin-password-1");
  }
};

TEST_F(UntrustedFrontTest, ForwardedHeadersAreIgnoredFromAnUntrustedPeer) {
  const HttpResponse login = Server().AnonymousHttp().Post(
      "/api/auth/login", R"({"username":"erin","password":"erin-password-1"})",
      "application/json", {{"X-Forwarded-For", "203.0.113.9"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.Header("set-cookie").find("Secure"), std::string::npos);
  EXPECT_EQ(LastAuditClient(Server()), "127.0.0.1");
}

}  // namespace
}  // namespace mis::test
