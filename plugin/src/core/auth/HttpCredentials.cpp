#include "HttpCredentials.h"

#include "AsciiText.h"
#include "Base64.h"

namespace mis {
namespace {

// Tokens and header values above these sizes are not ours: refuse them early.
constexpr size_t kMaxTokenLength = 256;
constexpr size_t kMaxBasicLength = 4096;

}  // namespace

std::string CookieValue(std::string_view cookieHeader, std::string_view name) {
  while (!cookieHeader.empty()) {
    const size_t end = cookieHeader.find(';');
    const std::string_view pair = TrimHttpWhitespace(cookieHeader.substr(0, end));
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && TrimHttpWhitespace(pair.substr(0, equals)) == name) {
      std::string_view value = TrimHttpWhitespace(pair.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value.size() <= kMaxTokenLength ? std::string(value) : std::string();
    }
    if (end == std::string_view::npos) break;
    cookieHeader.remove_prefix(end + 1);
  }
  return {};
}

Credentials ParseCredentials(std::string_view cookieHeader, std::string_view authorizationHeader) {
  Credentials credentials;
  credentials.sessionToken = CookieValue(cookieHeader, kSessionCookieName);

  const std::string_view authorization = TrimHttpWhitespace(authorizationHeader);
  if (authorization.empty()) return credentials;
  if (StartsWithIgnoringCase(authorization, "bearer ")) {
    const std::string_view token = TrimHttpWhitespace(authorization.substr(7));
    if (token.empty() || token.size() > kMaxTokenLength) {
      credentials.malformedAuthorization = true;
    } else {
      credentials.bearerToken = std::string(token);
    }
  } else if (StartsWithIgnoringCase(authorization, "basic ")) {
    const std::string_view encoded = TrimHttpWhitespace(authorization.substr(6));
    std::string decoded;
    if (encoded.size() > kMaxBasicLength || !DecodeBase64(encoded, decoded) ||
        decoded.find(':') == std::string::npos) {
      credentials.malformedAuthorization = true;
    } else {
      const size_t separator = decoded.find(':');
      credentials.hasBasic = true;
      credentials.basicUser = decoded.substr(0, separator);
      credentials.basicPassword = decoded.substr(separator + 1);
    }
  } else {
    credentials.malformedAuthorization = true;
  }
  return credentials;
}

}  // namespace mis
