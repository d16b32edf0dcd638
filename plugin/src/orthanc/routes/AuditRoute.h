#pragma once

#include <string>

#include "RestRoute.h"

namespace mis::orthanc {

// GET /api/audit?offset=0&limit=100: the audit trail, newest first (admins).
void HandleAudit(const RestRequest& request, RestResponse& response);

// Records that the request's user read patient data through one of our routes.
void AuditRead(const RestRequest& request, const std::string& route, const std::string& series);

}  // namespace mis::orthanc
