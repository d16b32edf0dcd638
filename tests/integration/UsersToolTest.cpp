// The users tool (medical-image-server-users) against the database of a
// running server, and the first administrator made at first start.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <regex>
#include <thread>

#include "AuthHelpers.h"
#include "ServerSuite.h"

namespace mis::test {
namespace {

class UsersToolTest : public ServerSuite {
 protected:
  // The server trusts a checked session or token from memory for up to
  // CredentialCacheSeconds (2 by default): a change the users tool makes in
  // the database must show within that time, and not take longer.
  static long StatusWithin(const std::function<long()>& request, long wanted) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(3500);
    long status = request();
    while (status != wanted && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      status = request();
    }
    return status;
  }
};

TEST_F(UsersToolTest, AddListAndLogIn) {
  AddUser(Server(), "carol", "carol-password-1");
  const CommandResult list = RunUsersTool(Server(), "list");
  ASSERT_EQ(list.exitCode, 0) << list.output;
  EXPECT_NE(list.output.find("carol\tuser"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("admin\tadmin"), std::string::npos) << list.output;
  EXPECT_EQ(Login(Server(), "carol", "carol-password-1").status, 200);
  // Adding twice is an error, not a silent password change.
  EXPECT_NE(RunUsersTool(Server(), "add carol", "other-password\n").exitCode, 0);
  EXPECT_EQ(Login(Server(), "carol", "carol-password-1").status, 200);
  // "*" marks an audit row whose refusals named several users.
  const CommandResult star = RunUsersTool(Server(), "add '*'", "star-password-1\n");
  EXPECT_NE(star.exitCode, 0) << star.output;
  EXPECT_EQ(Login(Server(), "*", "star-password-1").status, 401);
}

TEST_F(UsersToolTest, PasswordsComeFromStandardInputOnly) {
  // A password on the command line would be visible to every user in `ps`:
  // the tool refuses extra arguments instead of taking one.
  EXPECT_NE(RunUsersTool(Server(), "add dave dave-password-1", "").exitCode, 0);
  EXPECT_EQ(Login(Server(), "dave", "dave-password-1").status, 401);
  EXPECT_NE(RunUsersTool(Server(), "add dave", "short\n").exitCode, 0);  // under 8 characters
}

// Issue 16, item 8: the old cookie still worked after `users passwd`. The
// new password ends the user's sessions (within the server's 2 s memory of a
// checked credential); tokens go too with --revoke-tokens.
TEST_F(UsersToolTest, PasswdChangesThePasswordAndEndsTheSessions) {
  AddUser(Server(), "erin", "erin-password-1");
  const std::string cookie = SessionCookie(Login(Server(), "erin", "erin-password-1"));
  const std::string token = CreateApiToken(Server(), "erin");
  const HttpClient anonymous = Server().AnonymousHttp();
  ASSERT_EQ(anonymous.Get("/api/auth/me", {{"Cookie", cookie}}).status, 200);

  const CommandResult passwd = RunUsersTool(Server(), "passwd erin", "erin-password-2\n");
  ASSERT_EQ(passwd.exitCode, 0) << passwd.output;
  EXPECT_EQ(Login(Server(), "erin", "erin-password-1").status, 401);
  EXPECT_EQ(StatusWithin([&] { return anonymous.Get("/api/auth/me", {{"Cookie", cookie}}).status; },
                         401),
            401);
  EXPECT_EQ(anonymous.Get("/api/auth/me", {{"Authorization", "Bearer " + token}}).status, 200)
      << "without --revoke-tokens, tokens stay";
  const std::string fresh = SessionCookie(Login(Server(), "erin", "erin-password-2"));
  EXPECT_EQ(anonymous.Get("/api/auth/me", {{"Cookie", fresh}}).status, 200);

  const CommandResult revoked =
      RunUsersTool(Server(), "passwd erin --revoke-tokens", "erin-password-3\n");
  ASSERT_EQ(revoked.exitCode, 0) << revoked.output;
  EXPECT_EQ(StatusWithin(
                [&] {
                  return anonymous.Get("/api/auth/me", {{"Authorization", "Bearer " + token}}).status;
                },
                401),
            401);
  EXPECT_EQ(StatusWithin([&] { return anonymous.Get("/api/auth/me", {{"Cookie", fresh}}).status; },
                         401),
            401);
  EXPECT_NE(RunUsersTool(Server(), "passwd erin --revoke", "erin-password-4\n").exitCode, 0);
}

TEST_F(UsersToolTest, RemoveEndsSessionsAndTokens) {
  AddUser(Server(), "frank", "frank-password-1");
  const std::string cookie = SessionCookie(Login(Server(), "frank", "frank-password-1"));
  const std::string token = CreateApiToken(Server(), "frank");
  const HttpClient anonymous = Server().AnonymousHttp();
  ASSERT_EQ(anonymous.Get("/api/auth/me", {{"Cookie", cookie}}).status, 200);
  ASSERT_EQ(anonymous.Get("/patients", {{"Authorization", "Bearer " + token}}).status, 200);

  const CommandResult remove = RunUsersTool(Server(), "remove frank");
  ASSERT_EQ(remove.exitCode, 0) << remove.output;
  EXPECT_EQ(StatusWithin([&] { return anonymous.Get("/api/auth/me", {{"Cookie", cookie}}).status; },
                         401),
            401);
  EXPECT_EQ(StatusWithin(
                [&] {
                  return anonymous.Get("/patients", {{"Authorization", "Bearer " + token}}).status;
                },
                401),
            401);
  ExpectOrthancRouteRefused(Server(), "/patients", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(Login(Server(), "frank", "frank-password-1").status, 401);
}

TEST_F(UsersToolTest, TokensAreListedWithoutTheirValueAndRevoked) {
  const std::string token = CreateApiToken(Server(), kAdminUser);
  const CommandResult list = RunUsersTool(Server(), "token list");
  ASSERT_EQ(list.exitCode, 0) << list.output;
  EXPECT_EQ(list.output.find(token), std::string::npos);
  const std::string id = list.output.substr(0, list.output.find('\t'));
  const HttpClient anonymous = Server().AnonymousHttp();
  ASSERT_EQ(anonymous.Get("/system", {{"Authorization", "Bearer " + token}}).status, 200);
  ASSERT_EQ(RunUsersTool(Server(), "token revoke " + id).exitCode, 0);
  EXPECT_EQ(StatusWithin(
                [&] {
                  return anonymous.Get("/system", {{"Authorization", "Bearer " + token}}).status;
                },
                401),
            401);
  ExpectOrthancRouteRefused(Server(), "/system", {{"Authorization", "Bearer " + token}});
}

TEST_F(UsersToolTest, RoleGrantsTheAuditTrail) {
  AddUser(Server(), "grace", "grace-password-1");
  const std::string cookie = SessionCookie(Login(Server(), "grace", "grace-password-1"));
  const HttpClient anonymous = Server().AnonymousHttp();
  EXPECT_EQ(anonymous.Get("/api/audit", {{"Cookie", cookie}}).status, 403);
  ASSERT_EQ(RunUsersTool(Server(), "role grace admin").exitCode, 0);
  EXPECT_EQ(
      StatusWithin([&] { return anonymous.Get("/api/audit", {{"Cookie", cookie}}).status; }, 200),
      200);
  // Taking the role back ends the sessions it was used in.
  ASSERT_EQ(RunUsersTool(Server(), "role grace user").exitCode, 0);
  EXPECT_EQ(
      StatusWithin([&] { return anonymous.Get("/api/auth/me", {{"Cookie", cookie}}).status; }, 401),
      401);
}

TEST(FirstStart, AdministratorWithARandomPasswordShownOnce) {
  OrthancServerOptions options;
  options.adminPassword.clear();
  OrthancServer server(options);
  const std::regex line("created the administrator 'admin' with the password: (\\S+)");
  std::smatch match;
  const std::string log = server.Log();
  ASSERT_TRUE(std::regex_search(log, match, line)) << server.LogTail();
  const std::string password = match[1];
  EXPECT_GE(password.size(), 16u);
  EXPECT_EQ(Login(server, "admin", password).status, 200);

  // A restart finds a user: no new administrator, no new password in the log.
  server.Restart();
  const std::string after = server.Log();
  EXPECT_EQ(std::distance(std::sregex_iterator(after.begin(), after.end(), line),
                          std::sregex_iterator()),
            1);
  EXPECT_EQ(Login(server, "admin", password).status, 200);
}

}  // namespace
}  // namespace mis::test
