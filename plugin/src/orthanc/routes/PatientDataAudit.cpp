#include "PatientDataAudit.h"

#include "AuthService.h"

namespace mis::orthanc {

void AuditPatientDataRead(const RestRequest& request, const std::string& seriesId) {
  AuditEvent event;
  event.time = GetAuthenticator().Now();
  event.user = request.User().name;
  event.client = request.ClientAddress();
  event.action = "read";
  event.route = request.Url();
  event.series = seriesId;
  event.outcome = "ok";
  GetUserStore().AppendAudit(event);
}

}  // namespace mis::orthanc
