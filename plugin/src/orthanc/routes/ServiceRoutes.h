#pragma once

// The routes about the service itself rather than patient data: its health,
// the description of its API and the web UI's files.

#include <string_view>
#include <vector>

#include "RestRoute.h"

namespace mis::orthanc {

// GET /api/health: liveness probe for load balancers and the tests (public).
void HandleHealth(const RestRequest& request, RestResponse& response);

// The text of plugin/resources/openapi.json, embedded at build time
// (CMake writes it into a generated OpenApiDocument.cpp).
std::string_view OpenApiDocument();

// GET /api/openapi.json: the OpenAPI 3.1 description of our routes.
void HandleOpenApi(const RestRequest& request, RestResponse& response);

struct HeaderLine {
  std::string_view name;
  std::string_view value;
};

// The security headers sent with every file of the UI: the lines of
// plugin/resources/ui-security-headers.conf, which nginx includes too (one list
// for both servers), turned into this table by CMake (generated/UiSecurityHeaders.cpp).
const std::vector<HeaderLine>& UiSecurityHeaders();

// GET /ui/...: the built web UI (FrontendDirectory), public like a login page.
void HandleStaticFile(const RestRequest& request, RestResponse& response);

// GET /: to the UI (instead of Orthanc Explorer, which needs a login anyway).
void HandleRoot(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
