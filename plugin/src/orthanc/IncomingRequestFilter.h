#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace mis::orthanc {

// Orthanc's incoming-request filter, the one gate in front of every route
// (Orthanc's REST API, DICOMweb, ours). It runs before Orthanc reads the body
// and can only allow or deny (403, empty body). It lets through the public
// routes and our /api routes (which answer 401 JSON themselves) and requires
// a session cookie, a bearer token or HTTP Basic for everything else. Any
// exception denies.
int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip,
                              uint32_t headersCount, const char* const* headersKeys,
                              const char* const* headersValues, uint32_t getArgumentsCount,
                              const char* const* getArgumentsKeys,
                              const char* const* getArgumentsValues);

}  // namespace mis::orthanc
