#include "IncomingRequestFilter.h"

#include <cstring>
#include <string>

#include "Multipart.h"
#include "OrthancApi.h"

namespace mis::orthanc {
namespace {

bool IsOurApi(const char* uri) { return std::strncmp(uri, "/api/", 5) == 0; }

// Orthanc 1.10 answers every POST multipart/form-data itself (200, empty body:
// it is the upload form of its Explorer) and discards what the route answers.
// Refuse such requests to our routes instead of pretending they succeeded;
// clients send the raw file with POST or the form with PUT.
bool IsSwallowedMultipartPost(OrthancPluginHttpMethod method, uint32_t headersCount,
                              const char* const* headersKeys, const char* const* headersValues) {
  if (method != OrthancPluginHttpMethod_Post) return false;
  for (uint32_t i = 0; i < headersCount; ++i) {
    if (std::strcmp(headersKeys[i], "content-type") == 0) {
      return MediaType(headersValues[i]) == "multipart/form-data";
    }
  }
  return false;
}

}  // namespace

int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* /*ip*/,
                              uint32_t headersCount, const char* const* headersKeys,
                              const char* const* headersValues, uint32_t /*getArgumentsCount*/,
                              const char* const* /*getArgumentsKeys*/,
                              const char* const* /*getArgumentsValues*/) {
  try {
    if (IsOurApi(uri) && IsSwallowedMultipartPost(method, headersCount, headersKeys, headersValues)) {
      return 0;
    }
    return 1;
  } catch (...) {
    LogError("incoming-request filter failed: request denied");
    return 0;  // fail closed
  }
}

}  // namespace mis::orthanc
