#pragma once

#include <string_view>

namespace mis {

// The rules the access policy (AccessPolicy.h) is made of. Which routes are
// public is the route table's to say (PublicRoutes.h).

// Which requests to Orthanc's own routes (REST API, DICOMweb, Explorer) any
// logged-in user may make: reading, searching, downloading and sending images
// (REST upload, STOW-RS). Everything else that changes state (deleting,
// modifying, anonymizing, modalities, peers, jobs, reset, shutdown) is for
// administrators.
bool IsOpenToEveryUser(std::string_view method, std::string_view uri);

// Whether a request changes state (POST, PUT, DELETE, PATCH).
bool IsStateChanging(std::string_view method);

// Whether an Origin header names another origin than the Host the request
// was sent to: a cookie-authenticated write from another site (CSRF).
// Browsers serialize an origin as RFC 6454 (sections 4 and 6.2) says:
// lower-case scheme and host, no user information, no path, no default port.
// So only "http://" or "https://" (a TLS proxy may be in front) followed by
// exactly the Host header (and at most one "/") is ours; any other text,
// "null" (sandboxed pages, file: URLs) included, is another origin. No Origin
// header (curl, same-origin GET) is not cross-origin.
bool IsCrossOrigin(std::string_view origin, std::string_view host);

}  // namespace mis
