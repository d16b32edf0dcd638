#pragma once

#include <string>

#include "CommandLine.h"
#include "HttpClient.h"
#include "OrthancServer.h"

namespace mis::test {

// The plugin's challenges: Basic for Orthanc's routes (sent by the front),
// Bearer for our /api routes.
constexpr const char* kBasicChallenge = R"(Basic realm="Medical Image Server", charset="UTF-8")";
constexpr const char* kBearerChallenge = R"(Bearer realm="Medical Image Server")";

// Logs in through POST /api/auth/login (through the front) and returns the response.
HttpResponse Login(const OrthancServer& server, const std::string& user,
                   const std::string& password);
// The same with `client` (e.g. server.DirectHttp().Anonymous(), to Orthanc itself).
HttpResponse Login(const HttpClient& client, const std::string& user, const std::string& password);

// GET `path`, an Orthanc route, with `headers` that are no valid credentials:
// the front answers 401 with the Basic challenge, and Orthanc itself, reached
// directly, still refuses it with the plugin's bare 403.
void ExpectOrthancRouteRefused(const OrthancServer& server, const std::string& path,
                               const HttpHeaders& headers);

// The "name=value" part of the session cookie a successful login set, for a
// Cookie header; throws when there is none.
std::string SessionCookie(const HttpResponse& login);

// GET /api/auth/me with only the session cookie `cookie` ("mis_session=...").
HttpResponse MeWithCookie(const OrthancServer& server, const std::string& cookie);

// Runs the users tool (medical-image-server-users) on the server's users
// database, with `input` on its standard input.
CommandResult RunUsersTool(const OrthancServer& server, const std::string& arguments,
                           const std::string& input = "");

// Creates a user through the users tool; throws if it fails.
void AddUser(const OrthancServer& server, const std::string& name, const std::string& password,
             bool admin = false);

// A new API token for `user`, made by the users tool.
std::string CreateApiToken(const OrthancServer& server, const std::string& user);

}  // namespace mis::test
