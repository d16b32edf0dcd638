#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace mis::orthanc {

// Orthanc's incoming-request filter: sees every HTTP request before Orthanc
// reads its body and may only allow it or deny it (403, empty body).
int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip,
                              uint32_t headersCount, const char* const* headersKeys,
                              const char* const* headersValues, uint32_t getArgumentsCount,
                              const char* const* getArgumentsKeys,
                              const char* const* getArgumentsValues);

}  // namespace mis::orthanc
