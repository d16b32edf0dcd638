#include "DicomStoreAudit.h"

#include <json/value.h>

#include <exception>

#include "AuthService.h"
#include "DicomAudit.h"
#include "OrthancApi.h"

namespace mis::orthanc {

void AuditDicomStore(const std::string& instanceId) {
  try {
    const std::optional<Json::Value> metadata =
        RestApiGetJson("/instances/" + instanceId + "/metadata?expand");
    if (!metadata) return;  // deleted since
    const int64_t now = GetAuthenticator().Now();
    std::optional<AuditEvent> event = CStoreAuditEvent(*metadata, now);
    if (!event) return;  // not a C-STORE
    const std::optional<Json::Value> instance = RestApiGetJson("/instances/" + instanceId);
    if (instance && (*instance)["ParentSeries"].isString()) {
      event->series = (*instance)["ParentSeries"].asString();
    }
    GetUserStore().AppendOrCountAudit(*event, now - kDicomAuditWindowSeconds);
  } catch (const std::exception& error) {
    LogError("cannot record the C-STORE of instance " + instanceId + " in the audit trail: " +
             error.what());
  }
}

void WarnOfUnauditedDicomServices(const Json::Value& orthancConfiguration) {
  for (const std::string& warning : UnauditedDicomServices(orthancConfiguration)) {
    LogWarning("DICOM: " + warning);
  }
}

}  // namespace mis::orthanc
