#include "DicomAudit.h"

#include <json/value.h>

namespace mis {
namespace {

std::string Text(const Json::Value& object, const char* key) {
  const Json::Value& value = object[key];
  return value.isString() ? value.asString() : std::string();
}

// Orthanc's reading of a modality's "Allow..." flag: true when absent.
bool Allows(const Json::Value& modality, const char* flag) {
  if (!modality.isObject()) return true;  // [AET, host, port(, manufacturer)]
  const Json::Value& value = modality[flag];
  return !value.isBool() || value.asBool();
}

}  // namespace

std::optional<AuditEvent> CStoreAuditEvent(const Json::Value& metadata, int64_t now) {
  if (!metadata.isObject() || Text(metadata, "Origin") != "DicomProtocol") return std::nullopt;
  AuditEvent event;
  event.time = now;
  event.user = Text(metadata, "RemoteAET");
  event.client = Text(metadata, "RemoteIP");
  event.action = "dicom_store";
  event.route = "C-STORE to " + Text(metadata, "CalledAET");
  event.outcome = "stored";
  return event;
}

std::vector<std::string> UnauditedDicomServices(const Json::Value& orthancConfiguration) {
  struct Service {
    const char* name;
    const char* alwaysKey;
    const char* modalityFlag;
  };
  static const Service kServices[] = {
      {"C-FIND", "DicomAlwaysAllowFind", "AllowFind"},
      {"C-MOVE", "DicomAlwaysAllowMove", "AllowMove"},
      {"C-GET", "DicomAlwaysAllowGet", "AllowGet"},
  };
  std::vector<std::string> warnings;
  if (!orthancConfiguration.isObject()) return warnings;
  for (const Service& service : kServices) {
    const Json::Value& always = orthancConfiguration[service.alwaysKey];
    if (always.isBool() && always.asBool()) {
      warnings.push_back(std::string(service.alwaysKey) + " is true: any AE title may " +
                         service.name + ", with no login and no audit record");
    }
  }
  const Json::Value& modalities = orthancConfiguration["DicomModalities"];
  if (!modalities.isObject()) return warnings;
  for (const std::string& name : modalities.getMemberNames()) {
    const Json::Value& modality = modalities[name];
    for (const Service& service : kServices) {
      if (Allows(modality, service.modalityFlag)) {
        warnings.push_back("the modality \"" + name + "\" may " + service.name +
                           ", with no login and no audit record (set \"" +
                           service.modalityFlag + "\": false unless it must)");
      }
    }
  }
  return warnings;
}

}  // namespace mis
