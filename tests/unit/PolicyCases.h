#pragma once

// The dimensions of the access-policy matrix, each value labelled by hand
// with what the README ("Users and logging in") says of it, and the README's
// rules that combine them. Nothing here is computed by the code under test.

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "AccessPolicy.h"
#include "PolicyWorld.h"

namespace mis::test {

// Credentials, and whom they prove (nullptr: nobody) by which means.
struct CredentialCase {
  const char* name;
  CredentialKind kind;
  const char* user;
  bool admin;
  AuthMethod how;
};

inline const std::vector<CredentialCase>& CredentialCases() {
  using K = CredentialKind;
  using M = AuthMethod;
  static const std::vector<CredentialCase> cases = {
      {"no credentials", K::kNone, nullptr, false, M::kNone},
      {"alice's session cookie", K::kUserSession, "alice", false, M::kSession},
      {"root's session cookie", K::kAdminSession, "root", true, M::kSession},
      {"a forged session cookie", K::kForgedSession, nullptr, false, M::kNone},
      {"alice's expired session cookie", K::kExpiredUserSession, nullptr, false, M::kNone},
      {"alice's session under another cookie name", K::kUserSessionUnderAnotherCookieName,
       nullptr, false, M::kNone},
      {"alice's bearer token", K::kUserBearer, "alice", false, M::kBearer},
      {"root's bearer token", K::kAdminBearer, "root", true, M::kBearer},
      {"a forged bearer token", K::kForgedBearer, nullptr, false, M::kNone},
      {"root's revoked bearer token", K::kRevokedAdminBearer, nullptr, false, M::kNone},
      {"alice's Basic password", K::kUserBasic, "alice", false, M::kBasic},
      {"root's Basic password", K::kAdminBasic, "root", true, M::kBasic},
      {"alice with a wrong Basic password", K::kUserBasicWrongPassword, nullptr, false, M::kNone},
      {"an unknown Basic user", K::kUnknownUserBasic, nullptr, false, M::kNone},
      {"Basic that is not base64", K::kBasicNotBase64, nullptr, false, M::kNone},
      {"Basic without a colon", K::kBasicWithoutColon, nullptr, false, M::kNone},
      {"an unknown Authorization scheme", K::kUnknownScheme, nullptr, false, M::kNone},
      {"an empty bearer token", K::kEmptyBearer, nullptr, false, M::kNone},
      // Several at once: the cookie counts first, then the token, then Basic
      // (Authenticator.h), so a cookie cannot hide behind a token.
      {"an expired session and root's token", K::kExpiredSessionAndAdminBearer, "root", true,
       M::kBearer},
      {"alice's session and root's token", K::kUserSessionAndAdminBearer, "alice", false,
       M::kSession},
      {"alice's session and a malformed Authorization", K::kUserSessionAndUnknownScheme, "alice",
       false, M::kSession},
      {"a forged session and alice's Basic password", K::kForgedSessionAndUserBasic, "alice",
       false, M::kBasic},
  };
  return cases;
}

// A method as sent, with its overrides, and the method Orthanc runs
// (nullptr: Orthanc refuses the request, and so does the policy).
struct MethodCase {
  const char* method;
  const char* methodOverride;  // X-HTTP-Method-Override
  const char* queryMethod;     // ?_method=
  const char* effective;
};

inline const std::vector<MethodCase>& MethodCases() {
  static const std::vector<MethodCase> cases = {
      {"GET", "", "", "GET"},
      {"POST", "", "", "POST"},
      {"PUT", "", "", "PUT"},
      {"DELETE", "", "", "DELETE"},
      {"GET", "DELETE", "", "DELETE"},
      {"GET", "put", "", "PUT"},
      {"POST", "DELETE", "", "DELETE"},
      // What Orthanc reports for the one above: the override applied.
      {"DELETE", "DELETE", "", "DELETE"},
      {"GET", "", "delete", "DELETE"},
      {"GET", "", "PUT", "PUT"},
      // ?_method= counts on GET only (Orthanc parses no query for a POST).
      {"POST", "", "DELETE", "POST"},
      // Orthanc takes only PUT and DELETE as overrides.
      {"GET", "PATCH", "", nullptr},
      {"POST", "GET", "", nullptr},
      {"GET", "", "get", nullptr},
      // Orthanc reports HEAD to nobody (its WebDAV code answers it).
      {"HEAD", "", "", nullptr},
  };
  return cases;
}

// An Origin header, the Host header it is compared with, and whether the
// Origin names another site. Browsers serialize an origin as RFC 6454
// (sections 4, 6.2) says: lower-case scheme and host, no user information,
// no path, no default port; our pages send http(s):// and our Host.
struct OriginCase {
  const char* origin;
  const char* host;
  bool another;
};

inline const std::vector<OriginCase>& OriginCases() {
  static const std::vector<OriginCase> cases = {
      {"", "127.0.0.1:8042", false},  // no Origin: not a browser's cross-site request
      {"http://127.0.0.1:8042", "127.0.0.1:8042", false},
      {"http://127.0.0.1:8042/", "127.0.0.1:8042", false},
      {"https://127.0.0.1:8042", "127.0.0.1:8042", false},  // behind a TLS proxy
      {"null", "127.0.0.1:8042", true},                     // sandboxed page, file: URL
      {"http://evil.example", "127.0.0.1:8042", true},
      {"http://127.0.0.1:8042.evil.example", "127.0.0.1:8042", true},  // ours as a prefix
      {"http://evil127.0.0.1:8042", "127.0.0.1:8042", true},           // ours as a suffix
      {"http://evil.example/http://127.0.0.1:8042", "127.0.0.1:8042", true},
      {"http://127.0.0.1:8043", "127.0.0.1:8042", true},   // another port
      {"http://127.0.0.1", "127.0.0.1:8042", true},        // port 80
      {"http://127.0.0.1:80420", "127.0.0.1:8042", true},
      {"http://127.0.0.1:8042@evil.example", "127.0.0.1:8042", true},  // host evil.example
      {"http://user@127.0.0.1:8042", "127.0.0.1:8042", true},  // never in an origin
      {"HTTP://127.0.0.1:8042", "127.0.0.1:8042", true},       // not as browsers write it
      {"ftp://127.0.0.1:8042", "127.0.0.1:8042", true},
      {"127.0.0.1:8042", "127.0.0.1:8042", true},  // no scheme
      {"http://localhost:8042", "127.0.0.1:8042", true},  // another name is another origin
      {"http://", "", true},                              // no host at all
      {"http://localhost:8042", "localhost:8042", false},
      {"http://LOCALHOST:8042", "localhost:8042", true},  // not as browsers write it
      {"http://localhost.:8042", "localhost:8042", true},  // a trailing dot: another origin
      {"http://localhost:8042.", "localhost:8042", true},
      {"https://pacs.example.org", "pacs.example.org", false},
      {"https://pacs.example.org.", "pacs.example.org", true},
      {"https://Pacs.Example.Org", "pacs.example.org", true},
      {"https://pacs.example.org.evil.example", "pacs.example.org", true},
      {"https://evilpacs.example.org", "pacs.example.org", true},
      {"https://pacs.example.org:443", "pacs.example.org", true},  // browsers omit it
  };
  return cases;
}

// A route's access level, a path it serves, and the effective methods an
// ordinary user may use on it (administrators may use all).
struct LevelCase {
  const char* name;
  Access access;
  const char* path;
  std::set<std::string> forUsers;
};

inline const std::vector<LevelCase>& LevelCases() {
  static const std::vector<LevelCase> cases = {
      {"public", Access::kPublic, "/api/health", {"GET", "POST", "PUT", "DELETE"}},
      {"user", Access::kUser, "/api/volume", {"GET", "POST", "PUT", "DELETE"}},
      {"admin", Access::kAdmin, "/api/audit", {}},
      // "every user may read everything ... and send images (GET on Orthanc's
      // REST API and DICOMweb, POST /instances ...). Everything else that
      // changes state through Orthanc ... [is] for admin users".
      {"Orthanc's resource", Access::kOrthanc, "/patients/abc", {"GET"}},
      {"Orthanc's upload", Access::kOrthanc, "/instances", {"GET", "POST"}},
  };
  return cases;
}

// The public lines of the route table in plugin/src/orthanc/Plugin.cpp:
// "Only POST /api/auth/login, GET /api/health and the UI's files (/ui/...)
// are public", and "/" which redirects to the UI.
inline PublicRoutes TablePublicRoutes() {
  return PublicRoutes({{"/api/health", "GET"},
                       {"/api/auth/login", "POST"},
                       {"/", "GET"},
                       {"/ui", "GET"},
                       {"/ui/(.+)", "GET"}});
}

// What the README's rules say of one request.
struct ExpectedDecision {
  int status;        // 200, 401 or 403
  std::string code;  // for refusals
  std::string user{};  // for allowed, authenticated requests
  AuthMethod how = AuthMethod::kNone;
};

inline ExpectedDecision ReadmeDecision(const LevelCase& level, const CredentialCase& credentials,
                                       const MethodCase& method, const OriginCase& origin) {
  // Orthanc refuses such requests before any route; the policy never guesses.
  if (method.effective == nullptr) return {403, "method_override"};
  // "Only POST /api/auth/login, GET /api/health and the UI's files are public."
  if (level.access == Access::kPublic) return {200, ""};
  // "Without credentials our /api routes answer 401 JSON" (Orthanc's 403).
  if (credentials.user == nullptr) return {401, "unauthenticated"};
  // "cookie-authenticated POST/PUT/DELETE requests ... whose Origin names
  // another site are refused (CSRF)".
  const std::string effective = method.effective;
  const bool changes = effective == "POST" || effective == "PUT" || effective == "DELETE";
  // "with a session cookie, X-HTTP-Method-Override and ?_method= cannot name
  // a change": the method is named by one when the override is given, or
  // _method says the method the request runs as.
  std::string query = method.queryMethod;
  for (char& c : query) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const bool overridden = std::string(method.methodOverride) != "" || (query != "" && query == effective);
  if (credentials.how == AuthMethod::kSession && changes && overridden) {
    return {403, "method_override"};
  }
  if (credentials.how == AuthMethod::kSession && changes && origin.another) {
    return {403, "cross_origin"};
  }
  // "... and the audit trail are for admin users; others get 403."
  if (!credentials.admin && level.forUsers.count(effective) == 0) return {403, "forbidden"};
  return {200, "", credentials.user, credentials.how};
}

}  // namespace mis::test
