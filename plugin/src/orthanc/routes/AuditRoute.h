#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// GET /api/audit?offset=0&limit=100: the audit trail, newest first (admins).
void HandleAudit(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
