#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// GET /api/health: liveness probe for load balancers and the tests.
void HandleHealth(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
