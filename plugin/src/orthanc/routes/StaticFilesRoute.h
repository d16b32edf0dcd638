#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// GET /ui/...: the built web UI (FrontendDirectory), public like a login page.
void HandleStaticFile(const RestRequest& request, RestResponse& response);

// GET /: to the UI (instead of Orthanc Explorer, which needs a login anyway).
void HandleRoot(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
