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

// The challenges of a 401 (RFC 9110 §11.6.1). Basic (RFC 7617) on Orthanc's
// routes and DICOMweb, where clients such as curl --anyauth, Python's urllib
// and httplib2 send their password only once challenged. Bearer (RFC 6750)
// on our /api routes: browsers show their own password dialog for Basic,
// which would cover the UI's login page, but not for Bearer.
constexpr const char* kBasicChallenge = "Basic realm=\"Medical Image Server\", charset=\"UTF-8\"";
constexpr const char* kBearerChallenge = "Bearer realm=\"Medical Image Server\"";

// The value of the cookie `name` in a Cookie header, or "".
std::string CookieValue(std::string_view cookieHeader, std::string_view name);

// Reads the Cookie and Authorization headers (either may be empty).
Credentials ParseCredentials(std::string_view cookieHeader, std::string_view authorizationHeader);

}  // namespace mis
