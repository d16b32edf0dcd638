#pragma once

#include <string>

namespace Json {
class Value;
}

namespace mis::orthanc {

// Records a newly stored instance in the audit trail when it came by DICOM
// C-STORE: the calling AE title, its address, the called AE title and the
// series (CStoreAuditEvent), counted into one row per AE title, address and
// series a minute. Call it for Orthanc's NewInstance change, on Orthanc's
// change thread, where its REST API may be called. Never throws: a failure
// is logged.
void AuditDicomStore(const std::string& instanceId);

// Logs a warning at start-up for each DICOM query or retrieve service that
// Orthanc's configuration gives with no login and no audit record
// (UnauditedDicomServices).
void WarnOfUnauditedDicomServices(const Json::Value& orthancConfiguration);

}  // namespace mis::orthanc
