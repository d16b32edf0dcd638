// Fuzz target: what the incoming-request filter reads from a request before
// any check: the Cookie and Authorization headers (HttpCredentials.h, Basic
// through Secrets' base64) and the request policy (RequestPolicy.h). The input
// is split on '\n' into: cookie, authorization, method, uri, origin, host.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "HttpCredentials.h"
#include "RequestPolicy.h"
#include "Secrets.h"

namespace {

// The next '\n'-terminated field of `input` (all of it for the last one).
std::string_view NextField(std::string_view& input) {
  const size_t newline = input.find('\n');
  const std::string_view field = input.substr(0, newline);
  input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
  return field;
}

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view cookie = NextField(input);
  const std::string_view authorization = NextField(input);
  const std::string_view method = NextField(input);
  const std::string_view uri = NextField(input);
  const std::string_view origin = NextField(input);
  const std::string_view host = NextField(input);

  const mis::Credentials credentials = mis::ParseCredentials(cookie, authorization);
  // What the Authenticator relies on.
  Require(credentials.sessionToken == mis::CookieValue(cookie, mis::kSessionCookieName));
  Require(credentials.sessionToken.size() <= 256 && credentials.bearerToken.size() <= 256);
  Require(credentials.basicUser.find(':') == std::string::npos);
  Require(!credentials.malformedAuthorization ||
          (credentials.bearerToken.empty() && !credentials.hasBasic));
  if (credentials.hasBasic) {
    // Basic decoding is base64's inverse: encoding the pair gives it back.
    std::string decoded;
    const std::string pair = credentials.basicUser + ":" + credentials.basicPassword;
    Require(mis::DecodeBase64(mis::EncodeBase64(pair), decoded) && decoded == pair);
  }

  // The policy: never public outside GET/HEAD (but the login), never "..".
  if (mis::IsPublicRoute(method, uri)) {
    Require(method == "GET" || method == "HEAD" || uri == "/api/auth/login");
    Require(uri.substr(0, 4) != "/ui/" || uri.find("..") == std::string_view::npos);
  }
  (void)mis::IsOpenToEveryUser(method, uri);
  (void)mis::IsStateChanging(method);
  if (origin.empty()) Require(!mis::IsCrossOrigin(origin, host));
  return 0;
}
