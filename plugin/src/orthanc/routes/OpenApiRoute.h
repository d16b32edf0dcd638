#pragma once

#include <string_view>

#include "RestRoute.h"

namespace mis::orthanc {

// The text of plugin/resources/openapi.json, embedded at build time
// (CMake writes it into a generated OpenApiDocument.cpp).
std::string_view OpenApiDocument();

// GET /api/openapi.json: the OpenAPI 3.1 description of our routes.
void HandleOpenApi(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
