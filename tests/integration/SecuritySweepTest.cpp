// Attacks on the gate from outside: path traversal on the static files,
// oversized requests, sessions and tokens that must no longer work, and
// method overrides. Each case is what a scanner or a curious user would try.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "AuthHelpers.h"
#include "CommandLine.h"
#include "ServerSuite.h"
#include "TemporaryDirectory.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

using ::testing::AnyOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAlicePassword = "alice-password-1";
constexpr const char* kBobPassword = "bob-password-1";

// A UI folder with one page and one asset, and beside it a file no request may read.
constexpr const char* kSecretMarker = "secret-beside-the-ui-4f1e";
constexpr const char* kAssetName = "index-4f1e2d3c.js";

class SecuritySweepTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    static TemporaryDirectory files("mis-sweep-files");
    std::filesystem::create_directories(files.Path() / "ui" / "assets");
    std::ofstream(files.Path() / "ui" / "index.html") << "<!doctype html><title>UI</title>";
    std::ofstream(files.Path() / "ui" / "assets" / kAssetName) << "export {};";
    std::ofstream(files.Path() / "secret.txt") << kSecretMarker;
    OrthancServerOptions options;
    options.pluginSettings["FrontendDirectory"] = (files.Path() / "ui").string();
    // Every request asks the database, so changes made behind the server's
    // back (expiry, removal) count at once.
    options.pluginSettings["CredentialCacheSeconds"] = 0;
    options.pluginSettings["MaxUploadMegabytes"] = 1;
    StartServer(options);
    AddUser(Server(), "alice", kAlicePassword);
    AddUser(Server(), "bob", kBobPassword);
  }

 protected:
  static HttpClient Alice() {
    return Server().AnonymousHttp().WithBasicAuth("alice", kAlicePassword);
  }
  static HttpResponse MeWithBearer(const std::string& token) {
    return Server().AnonymousHttp().Get("/api/auth/me", {{"Authorization", "Bearer " + token}});
  }
  // Runs SQL on the users database behind the server's back (Python's sqlite3).
  static void UsersDatabaseSql(const std::string& sql) {
    const std::string database = Server().UsersDatabase();
    const CommandResult result =
        RunCommand(std::string(MIS_PYTHON) + " -c " +
                   ShellQuote("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                              "c.execute(sys.argv[2]); c.commit()") +
                   " " + ShellQuote(database) + " " + ShellQuote(sql) + " 2>&1");
    ASSERT_EQ(result.exitCode, 0) << result.output;
  }
};

// The UI's files are served from FrontendDirectory only. Orthanc decodes and
// normalizes the URI before any route sees it, so most of these never reach
// our static route; whatever answers, it is never a file from elsewhere.
TEST_F(SecuritySweepTest, PathTraversalNeverLeavesTheUiFolder) {
  const std::vector<std::string> paths = {
      "/ui/..%2fsecret.txt",
      "/ui/%2e%2e/secret.txt",
      "/ui/%2e%2e%2fsecret.txt",
      "/ui/assets/..%2f..%2fsecret.txt",
      "/ui/..%5csecret.txt",
      "/ui/%252e%252e/secret.txt",
      "/ui/..;/secret.txt",
      "/..%2f..%2fetc/passwd",
      "/ui/..%2f..%2f..%2fetc%2fpasswd",
      "/ui/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/ui/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/ui/..%5c..%5c..%5cetc%5cpasswd",
      "/ui/%252e%252e/%252e%252e/etc/passwd",
      "/ui/....//....//....//etc/passwd",
      "/ui/assets/../../../../etc/passwd",
      "/ui/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "/ui//etc/passwd",
  };
  // Through the front (nginx, which refuses dot segments with its JSON 400),
  // and straight to Orthanc.
  for (const auto& [via, client] : {std::make_pair("front", Server().AnonymousHttp()),
                                    std::make_pair("direct", Server().DirectHttp().Anonymous())}) {
    for (const std::string& path : paths) {
      SCOPED_TRACE(std::string(via) + ": " + path);
      const HttpResponse anonymous = client.Get(path);
      // The gate (401 from the front, 403 from Orthanc), a malformed path
      // (400) or nothing there (404); never a file.
      EXPECT_THAT(anonymous.status, AnyOf(Eq(401), Eq(403), Eq(404), Eq(400))) << anonymous.body;
      EXPECT_THAT(anonymous.body, Not(HasSubstr("root:")));
      EXPECT_THAT(anonymous.body, Not(HasSubstr(kSecretMarker)));
      const HttpResponse user = client.WithBasicAuth("alice", kAlicePassword).Get(path);
      EXPECT_THAT(user.status, AnyOf(Eq(404), Eq(400))) << user.body;
      EXPECT_THAT(user.body, Not(HasSubstr("root:")));
      EXPECT_THAT(user.body, Not(HasSubstr(kSecretMarker)));
    }
  }
  // The UI itself is served.
  const HttpResponse page = Server().AnonymousHttp().Get("/ui/index.html");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<title>UI</title>"));
}

// The headers of plugin/resources/ui-security-headers.conf, the one list that
// nginx includes and CMake turns into the plugin's table, read with a parser
// of this test's own: name and value of each add_header line.
std::vector<std::pair<std::string, std::string>> SharedUiSecurityHeaders() {
  std::ifstream file(MIS_UI_SECURITY_HEADERS_FILE);
  EXPECT_TRUE(file) << MIS_UI_SECURITY_HEADERS_FILE;
  const std::regex addHeader(R"re(^\s*add_header (\S+) "([^"]*)" always;$)re");
  std::vector<std::pair<std::string, std::string>> headers;
  std::string line;
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_match(line, match, addHeader)) headers.emplace_back(match[1], match[2]);
  }
  return headers;
}

// Every file of the UI, the page and a hashed asset alike, carries each header
// of the shared file once, with its value.
TEST_F(SecuritySweepTest, UiFilesCarryTheSharedSecurityHeaders) {
  const auto headers = SharedUiSecurityHeaders();
  ASSERT_GE(headers.size(), 3u) << "nosniff, framing and CSP at least";
  for (const std::string& path : {std::string("/ui/index.html"), std::string("/ui/"),
                                 std::string("/ui/assets/") + kAssetName}) {
    SCOPED_TRACE(path);
    const HttpResponse response = Server().AnonymousHttp().Get(path);
    ASSERT_EQ(response.status, 200) << response.body;
    for (const auto& [name, value] : headers) {
      std::string key = name;
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      EXPECT_EQ(response.HeaderValues(key), std::vector<std::string>{value}) << name;
    }
  }
}

TEST_F(SecuritySweepTest, OversizedRequestsGet4xx) {
  // A 64 KiB header: refused before any route runs.
  const HttpResponse header =
      Server().AnonymousHttp().Get("/api/health", {{"X-Filler", std::string(64 * 1024, 'a')}});
  EXPECT_GE(header.status, 400);
  EXPECT_LT(header.status, 500);
  const HttpResponse cookie = Server().AnonymousHttp().Get(
      "/api/auth/me", {{"Cookie", "mis_session=" + std::string(64 * 1024, 'b')}});
  EXPECT_GE(cookie.status, 400);
  EXPECT_LT(cookie.status, 500);
  // Bodies: a 4 MiB login and an upload above MaxUploadMegabytes (1 here).
  const HttpResponse login = Server().AnonymousHttp().Post(
      "/api/auth/login", std::string(4 * 1024 * 1024, '{'), "application/json", {{"Expect", ""}});
  ExpectJsonError(login, 413);
  const HttpResponse upload = Alice().Post("/api/volume", std::string(2 * 1024 * 1024, 'x'),
                                           "application/dicom", {{"Expect", ""}});
  ExpectJsonError(upload, 413);
  EXPECT_EQ(Server().AnonymousHttp().Get("/api/health").status, 200);
}

TEST_F(SecuritySweepTest, ExpiredSessionsAreRefused) {
  const std::string cookie = SessionCookie(Login(Server(), "alice", kAlicePassword));
  ASSERT_EQ(MeWithCookie(Server(), cookie).status, 200);
  // Idle for longer than SessionTimeoutMinutes (60).
  UsersDatabaseSql("UPDATE sessions SET last_seen = last_seen - 2 * 3600");
  ExpectJsonError(MeWithCookie(Server(), cookie), 401);
  ExpectOrthancRouteRefused(Server(), "/patients", {{"Cookie", cookie}});
}

TEST_F(SecuritySweepTest, CredentialsOfARemovedUserAreRefused) {
  AddUser(Server(), "mallory", "mallory-password-1");
  const std::string cookie = SessionCookie(Login(Server(), "mallory", "mallory-password-1"));
  const std::string token = CreateApiToken(Server(), "mallory");
  ASSERT_EQ(MeWithCookie(Server(), cookie).status, 200);
  ASSERT_EQ(MeWithBearer(token).status, 200);
  ASSERT_EQ(RunUsersTool(Server(), "remove mallory").exitCode, 0);
  ExpectJsonError(MeWithCookie(Server(), cookie), 401);
  ExpectJsonError(MeWithBearer(token), 401);
  ExpectOrthancRouteRefused(Server(), "/patients", {{"Authorization", "Bearer " + token}});
}

TEST_F(SecuritySweepTest, ForgedAndMisplacedCredentialsAreRefused) {
  const std::string cookie = SessionCookie(Login(Server(), "bob", kBobPassword));
  const std::string session = cookie.substr(cookie.find('=') + 1);
  const std::string token = CreateApiToken(Server(), "bob");
  ASSERT_EQ(MeWithCookie(Server(), cookie).Json()["username"].asString(), "bob");

  // One character changed.
  std::string forgedSession = session;
  forgedSession[forgedSession.size() / 2] ^= 1;
  std::string forgedToken = token;
  forgedToken[0] = forgedToken[0] == 'A' ? 'B' : 'A';
  ExpectJsonError(MeWithCookie(Server(), "mis_session=" + forgedSession), 401);
  ExpectJsonError(MeWithBearer(forgedToken), 401);
  // A session is not an API token, nor the reverse.
  ExpectJsonError(MeWithBearer(session), 401);
  ExpectJsonError(MeWithCookie(Server(), "mis_session=" + token), 401);
  // Bob's name with another user's password, and with his hash-like junk.
  const HttpClient mixed = Server().AnonymousHttp().WithBasicAuth("bob", kAlicePassword);
  ExpectJsonError(mixed.Get("/api/auth/me"), 401);
  EXPECT_EQ(mixed.Get("/patients").status, 401);
  EXPECT_EQ(mixed.Get("/patients").Header("www-authenticate"), kBasicChallenge);
  const HttpClient direct = Server().DirectHttp().WithBasicAuth("bob", kAlicePassword);
  EXPECT_EQ(direct.Get("/patients").status, 403);
}

// Orthanc lets a POST say it is a DELETE or a PUT (X-HTTP-Method-Override);
// the gate judges the method Orthanc will run.
TEST_F(SecuritySweepTest, MethodOverrideDoesNotBypassTheGate) {
  const HttpResponse stored =
      Alice().Post("/instances", ReadFileBytes(SampleSlicePath()), "application/dicom");
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string patient = "/patients/" + stored.Json()["ParentPatient"].asString();
  const HttpHeaders deleteOverride = {{"X-HTTP-Method-Override", "DELETE"}};
  auto overriddenPost = [&](const HttpClient& client, const std::string& path,
                            const HttpHeaders& headers) {
    return client.Request("POST", path, headers);
  };

  EXPECT_EQ(overriddenPost(Alice(), patient, deleteOverride).status, 403);
  EXPECT_EQ(overriddenPost(Server().AnonymousHttp(), patient, deleteOverride).status, 401);
  // Straight to Orthanc: the plugin's filter judges the override itself.
  const HttpClient direct = Server().DirectHttp();
  EXPECT_EQ(overriddenPost(direct.Anonymous(), patient, deleteOverride).status, 403);
  EXPECT_EQ(overriddenPost(direct.WithBasicAuth("alice", kAlicePassword), patient, deleteOverride)
                .status,
            403);
  // The Rails way: GET ?_method=DELETE is a DELETE too.
  EXPECT_EQ(Alice().Get(patient + "?_method=DELETE").status, 403);
  // Orthanc refuses to turn a POST into a GET (400); our route would say 401.
  const HttpResponse name = overriddenPost(Server().AnonymousHttp(), "/api/patient-name",
                                           {{"X-HTTP-Method-Override", "GET"}});
  EXPECT_THAT(name.status, AnyOf(Eq(400), Eq(401))) << name.body;
  EXPECT_THAT(name.body, Not(HasSubstr("patient_name")));
  EXPECT_EQ(Http().Get(patient).status, 200) << "the patient is still there";

  // The override is real: an administrator's overridden POST deletes.
  const HttpResponse deleted = overriddenPost(Http(), patient, deleteOverride);
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Http().Get(patient).status, 404);
}

}  // namespace
}  // namespace mis::test
