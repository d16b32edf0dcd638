#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "UserStore.h"

namespace Json {
class Value;
}

namespace mis {

// How long the C-STORE rows of one calling AE title, address and series are
// counted into one audit row (UserStore::AppendOrCountAudit), in seconds: a
// 176-slice series sent by storescu is one row, not 176.
constexpr int64_t kDicomAuditWindowSeconds = 60;

// The audit record of an instance stored by DICOM C-STORE (PS3.4 Annex B),
// which no login covers: the association names a calling AE title (PS3.8
// §7.1.1.2) and comes from an address. `metadata` is Orthanc's metadata of
// the stored instance, as GET /instances/{id}/metadata?expand gives it
// ("Origin", "RemoteAET", "RemoteIP", "CalledAET"); `now` is in seconds
// since the epoch.
//
// The record: user = the calling AE title, client = the address,
// action = "dicom_store", route = "C-STORE to <called AE title>",
// outcome = "stored"; its series is the caller's to fill. Nothing for an
// instance that came another way (the REST API, STOW-RS, a plugin), whose
// request is authenticated and audited as such; nothing when `metadata` is
// not an object.
std::optional<AuditEvent> CStoreAuditEvent(const Json::Value& metadata, int64_t now);

// The DICOM services Orthanc's configuration would give to a network peer
// with no login and no audit record: C-FIND, C-MOVE and C-GET, allowed for
// every AE title ("DicomAlwaysAllowFind", ...) or for a modality of
// "DicomModalities" (whose "AllowFind", "AllowMove" and "AllowGet" are true
// when absent, as in Orthanc, and always in the older array form). One
// sentence each, for a warning at start-up; empty for the shipped
// configuration. Modalities registered later through the REST API are not
// seen here.
std::vector<std::string> UnauditedDicomServices(const Json::Value& orthancConfiguration);

}  // namespace mis
