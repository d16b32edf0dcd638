#include "IncomingRequestFilter.h"

#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "AuthService.h"
#include "HttpCredentials.h"
#include "Multipart.h"
#include "OrthancApi.h"
#include "RequestPolicy.h"

namespace mis::orthanc {
namespace {

bool IsOurApi(const char* uri) { return std::strncmp(uri, "/api/", 5) == 0; }

std::string_view HeaderValue(const char* name, uint32_t count, const char* const* keys,
                             const char* const* values) {
  for (uint32_t i = 0; i < count; ++i) {
    if (std::strcmp(keys[i], name) == 0) return values[i];  // Orthanc lower-cases names
  }
  return {};
}

// Orthanc 1.10 answers every POST multipart/form-data itself (200, empty body:
// it is the upload form of its Explorer) and discards what the route answers.
// Refuse such requests to our routes instead of pretending they succeeded;
// clients send the raw file with POST or the form with PUT.
bool IsSwallowedMultipartPost(OrthancPluginHttpMethod method, std::string_view contentType) {
  return method == OrthancPluginHttpMethod_Post &&
         MediaType(contentType) == "multipart/form-data";
}

bool Allow(OrthancPluginHttpMethod method, const char* uri, uint32_t headersCount,
           const char* const* headersKeys, const char* const* headersValues) {
  auto header = [&](const char* name) {
    return HeaderValue(name, headersCount, headersKeys, headersValues);
  };
  if (IsOurApi(uri)) {
    // Our routes check credentials themselves, to answer 401 JSON rather than
    // the filter's bare 403.
    return !IsSwallowedMultipartPost(method, header("content-type"));
  }
  if (IsPublicRoute(MethodName(method), uri)) return true;

  const Credentials credentials = ParseCredentials(header("cookie"), header("authorization"));
  if (!credentials.Any()) return false;
  AuthMethod how = AuthMethod::kNone;
  const std::optional<Identity> identity =
      GetAuthenticator().Authenticate(credentials, CurrentClientAddress(), &how);
  if (!identity) return false;
  // Cookies ride along on cross-site requests; tokens and passwords do not.
  if (how == AuthMethod::kSession && IsStateChanging(MethodName(method)) &&
      IsCrossOrigin(header("origin"), header("host"))) {
    return false;
  }
  return identity->IsAdmin() || IsOpenToEveryUser(MethodName(method), uri);
}

}  // namespace

int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip,
                              uint32_t headersCount, const char* const* headersKeys,
                              const char* const* headersValues, uint32_t /*getArgumentsCount*/,
                              const char* const* /*getArgumentsKeys*/,
                              const char* const* /*getArgumentsValues*/) {
  try {
    SetCurrentClientAddress(ip);
    return Allow(method, uri, headersCount, headersKeys, headersValues) ? 1 : 0;
  } catch (...) {
    LogError("the request filter failed: request denied");
    return 0;  // fail closed
  }
}

}  // namespace mis::orthanc
