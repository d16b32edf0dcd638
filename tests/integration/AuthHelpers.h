#pragma once

#include <string>

#include "CommandLine.h"
#include "HttpClient.h"
#include "OrthancServer.h"

namespace mis::test {

// Logs in through POST /api/auth/login and returns the response.
HttpResponse Login(const OrthancServer& server, const std::string& user,
                   const std::string& password);

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
