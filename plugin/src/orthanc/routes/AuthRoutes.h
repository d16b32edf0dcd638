#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// POST /api/auth/login {"username", "password"}: a session cookie.
void HandleLogin(const RestRequest& request, RestResponse& response);
// POST /api/auth/logout: ends the session on the server, clears the cookie.
void HandleLogout(const RestRequest& request, RestResponse& response);
// GET /api/auth/me: who is logged in.
void HandleMe(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
