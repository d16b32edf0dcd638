#pragma once

#include <string>

#include "RestRoute.h"

namespace mis::orthanc {

// Records in the audit trail (GET /api/audit) that the request's user, from
// the request's client address, read patient data of `seriesId` through the
// request's route. Every route that answers with patient data (names, pixels,
// figures) calls it once it has answered.
void AuditPatientDataRead(const RestRequest& request, const std::string& seriesId);

}  // namespace mis::orthanc
