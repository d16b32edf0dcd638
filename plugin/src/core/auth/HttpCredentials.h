#pragma once

#include <string>
#include <string_view>

namespace mis {

// What a request presents to prove who makes it. Parsing only: checking the
// values is the Authenticator's job.
struct Credentials {
  std::string sessionToken;  // from the session cookie
  std::string bearerToken;   // Authorization: Bearer <api token>
  bool hasBasic = false;     // Authorization: Basic base64(user:password)
  std::string basicUser;
  std::string basicPassword;
  bool malformedAuthorization = false;  // present but unusable

  bool Any() const { return !sessionToken.empty() || !bearerToken.empty() || hasBasic; }
};

constexpr std::string_view kSessionCookieName = "mis_session";

// The value of the cookie `name` in a Cookie header, or "".
std::string CookieValue(std::string_view cookieHeader, std::string_view name);

// Reads the Cookie and Authorization headers (either may be empty).
Credentials ParseCredentials(std::string_view cookieHeader, std::string_view authorizationHeader);

}  // namespace mis
