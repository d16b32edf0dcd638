#include "IncomingRequestFilter.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "AccessPolicy.h"
#include "AsciiText.h"
#include "AuthService.h"
#include "ClientHandoff.h"
#include "MediaType.h"
#include "OrthancApi.h"
#include "PluginState.h"
#include "RestRoute.h"

namespace mis::orthanc {
namespace {

// Orthanc 1.10 answers every POST multipart/form-data itself (200, empty body:
// it is the upload form of its Explorer) and discards what the route answers.
// Refuse such requests to our routes instead of pretending they succeeded;
// clients send the raw file with POST or the form with PUT.
bool IsSwallowedMultipartPost(OrthancPluginHttpMethod method, std::string_view contentType) {
  return method == OrthancPluginHttpMethod_Post &&
         MediaType(contentType) == "multipart/form-data";
}

// The public lines of the route table; set once before the filter is
// registered, read-only afterwards.
std::unique_ptr<const PublicRoutes> publicRoutes;

bool Allow(OrthancPluginHttpMethod method, const char* uri, const std::string& client,
           uint32_t headersCount, const char* const* headersKeys,
           const char* const* headersValues, uint32_t getArgumentsCount,
           const char* const* getArgumentsKeys, const char* const* getArgumentsValues) {
  if (IsOurApiPath(uri)) {
    // Our routes ask the access policy themselves, to answer 401 JSON rather
    // than the filter's bare 403.
    const char* contentType = ValueOf("content-type", headersCount, headersKeys, headersValues);
    return !IsSwallowedMultipartPost(method, contentType != nullptr ? contentType : "");
  }
  const RequestFacts facts =
      RequestFactsOf(method, uri, client, headersCount, headersKeys, headersValues,
                     getArgumentsCount, getArgumentsKeys, getArgumentsValues);
  return DecideAsTheFilter(facts).Allowed();
}

}  // namespace

bool IsOurApiPath(std::string_view path) { return StartsWith(path, "/api/"); }

AccessDecision DecideAsTheFilter(const RequestFacts& facts) {
  if (!publicRoutes) throw std::logic_error("the request filter has no route table");
  return DecideAccess(facts, FilterAccess(facts, *publicRoutes), GetAuthenticator());
}

AccessDecision DecideBeforeOurApiRoute(const RequestFacts& facts) {
  if (!publicRoutes) throw std::logic_error("the request filter has no route table");
  return DecideAccess(facts, ApiCheckAccess(facts, *publicRoutes), GetAuthenticator());
}

int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip,
                              uint32_t headersCount, const char* const* headersKeys,
                              const char* const* headersValues, uint32_t getArgumentsCount,
                              const char* const* getArgumentsKeys,
                              const char* const* getArgumentsValues) {
  try {
    const auto header = [&](const char* name) {
      const char* value = ValueOf(name, headersCount, headersKeys, headersValues);
      return std::string_view(value != nullptr ? value : "");
    };
    const ClientConnection client =
        IdentifyClient(ip != nullptr ? ip : "", header("x-forwarded-for"),
                       header("x-forwarded-proto"), GetTrustedProxies());
    PutDownClient(client);
    return Allow(method, uri, client.address, headersCount, headersKeys, headersValues,
                 getArgumentsCount, getArgumentsKeys, getArgumentsValues)
               ? 1
               : 0;
  } catch (...) {
    LogError("the request filter failed: request denied");
    return 0;  // fail closed
  }
}

void RegisterIncomingRequestFilter(const PublicRoutes& routes) {
  publicRoutes = std::make_unique<const PublicRoutes>(routes);
  OrthancPluginRegisterIncomingHttpRequestFilter2(Context(), FilterIncomingRequest);
}

}  // namespace mis::orthanc
