#include "AuthHelpers.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mis::test {

HttpResponse Login(const OrthancServer& server, const std::string& user,
                   const std::string& password) {
  return Login(server.AnonymousHttp(), user, password);
}

HttpResponse Login(const HttpClient& client, const std::string& user, const std::string& password) {
  Json::Value body(Json::objectValue);
  body["username"] = user;
  body["password"] = password;
  return client.Post("/api/auth/login", body.toStyledString(), "application/json");
}

void ExpectOrthancRouteRefused(const OrthancServer& server, const std::string& path,
                               const HttpHeaders& headers) {
  const HttpResponse front = server.AnonymousHttp().Get(path, headers);
  EXPECT_EQ(front.status, 401) << "through the front: GET " << path << ": " << front.body;
  EXPECT_EQ(front.Header("www-authenticate"), kBasicChallenge) << "GET " << path;
  EXPECT_EQ(front.Header("content-type"), "application/json") << "GET " << path;
  const HttpResponse direct = server.DirectHttp().Anonymous().Get(path, headers);
  EXPECT_EQ(direct.status, 403) << "straight to Orthanc: GET " << path << ": " << direct.body;
}

std::string SessionCookie(const HttpResponse& login) {
  for (const std::string& cookie : login.HeaderValues("set-cookie")) {
    if (cookie.rfind("mis_session=", 0) == 0) return cookie.substr(0, cookie.find(';'));
  }
  throw std::runtime_error("the login set no session cookie: " + login.body);
}

HttpResponse MeWithCookie(const OrthancServer& server, const std::string& cookie) {
  return server.AnonymousHttp().Get("/api/auth/me", {{"Cookie", cookie}});
}

CommandResult RunUsersTool(const OrthancServer& server, const std::string& arguments,
                           const std::string& input) {
  const std::string database = server.UsersDatabase();
  // The input goes through a pipe, never the command line (visible to `ps`).
  return RunCommand("printf '%s' " + ShellQuote(input) + " | " + ShellQuote(MIS_USERS_TOOL) +
                    " --database " + ShellQuote(database) + " " + arguments + " 2>&1");
}

void AddUser(const OrthancServer& server, const std::string& name, const std::string& password,
             bool admin) {
  const CommandResult result =
      RunUsersTool(server, "add " + ShellQuote(name) + (admin ? " --admin" : ""), password + "\n");
  if (result.exitCode != 0) throw std::runtime_error("users tool add failed: " + result.output);
}

std::string CreateApiToken(const OrthancServer& server, const std::string& user) {
  const std::string database = server.UsersDatabase();
  // Only stdout: the token alone (stderr says how to use it).
  const CommandResult result = RunCommand(ShellQuote(MIS_USERS_TOOL) + " --database " +
                                          ShellQuote(database) + " token create " +
                                          ShellQuote(user) + " test 2>/dev/null");
  if (result.exitCode != 0 || result.output.size() < 40) {
    throw std::runtime_error("users tool token create failed: " + result.output);
  }
  return result.output.substr(0, result.output.find('\n'));
}

}  // namespace mis::test
