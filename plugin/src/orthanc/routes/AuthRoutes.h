#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// POST /api/auth/login {"username", "password"}: a session cookie.
void HandleLogin(const RestRequest& request, RestResponse& response);
// POST /api/auth/logout: ends the session on the server, clears the cookie.
void HandleLogout(const RestRequest& request, RestResponse& response);
// GET /api/auth/me: who is logged in.
void HandleMe(const RestRequest& request, RestResponse& response);
// GET /api/auth/check (public): the HTTP front's question before it forwards
// a request to Orthanc's routes (nginx auth_request). The check request
// carries the original's headers, plus X-Original-Method, X-Original-URI and
// X-Original-Method-Override (the original's X-HTTP-Method-Override, which
// the front must move there: Orthanc would apply it to the check itself).
// For Orthanc's routes: 200 when the request filter would let it through;
// 401 with a Basic challenge when it has no valid credentials; 403 when it is
// refused. For our /api routes, which the front checks only before reading a
// body (uploads): 200 for the public ones and for valid credentials, 401
// with a Bearer challenge without them, 403 for a cookie from another site.
void HandleAccessCheck(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
