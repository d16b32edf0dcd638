#pragma once

#include <orthanc/OrthancCPlugin.h>

#include <string_view>

#include "AccessPolicy.h"
#include "PublicRoutes.h"

namespace mis::orthanc {

// Orthanc's incoming-request filter, the one gate in front of every route
// (Orthanc's REST API, DICOMweb, ours). It runs before Orthanc reads the body
// and can only allow or deny (403, empty body). It lets through our /api
// routes (which ask the access policy themselves, to answer 401 JSON) and asks
// the access policy (DecideAccess) about everything else: public when
// `publicRoutes` holds it, else Orthanc's rule (Access::kOrthanc). Any
// exception denies.
int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip,
                              uint32_t headersCount, const char* const* headersKeys,
                              const char* const* headersValues, uint32_t getArgumentsCount,
                              const char* const* getArgumentsKeys,
                              const char* const* getArgumentsValues);

// Whether `path` is one of our /api routes, which the filter lets through:
// they ask the access policy themselves, to answer 401 JSON.
bool IsOurApiPath(std::string_view path);

// What the filter decides about a request outside our /api routes, for the
// HTTP front's access check (GET /api/auth/check), which must answer the same.
AccessDecision DecideAsTheFilter(const RequestFacts& facts);

// What the HTTP front's access check answers about a request for one of our
// /api routes (ApiCheckAccess): whether it may reach the route at all, judged
// before the front reads its body.
AccessDecision DecideBeforeOurApiRoute(const RequestFacts& facts);

// Registers FilterIncomingRequest with the public lines of the route table
// (PublicRoutesOf), kept for the plugin's lifetime. Call once, at start-up.
void RegisterIncomingRequestFilter(const PublicRoutes& publicRoutes);

}  // namespace mis::orthanc
