#pragma once

#include <string_view>
#include <vector>

#include "RestRoute.h"

namespace mis::orthanc {

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
