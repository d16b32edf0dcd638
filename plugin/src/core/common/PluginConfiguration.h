#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace Json {
class Value;
}

namespace mis {

// The "MedicalImageServer" section of Orthanc's configuration, validated.
// The member initialisers are the defaults, and the only place they are
// written: a key absent from the section leaves its member as it is here.
struct PluginConfiguration {
  double threshold = 0.5;                                 // "Threshold", in [0, 1]
  uint64_t maxUploadBytes = uint64_t{512} * 1024 * 1024;  // "MaxUploadMegabytes" x 1 MiB
  std::string dataDirectory = "data";
  std::string frontendDirectory = "frontend/dist";
  // An SQLite file, or a postgresql:// URI; empty: "users.sqlite" beside
  // Orthanc's storage.
  std::string usersDatabase;
  unsigned sessionTimeoutMinutes = 60;
  bool secureCookies = false;  // add "Secure" to the session cookie (HTTPS deployments)
  // The HTTP front's addresses or CIDR prefixes: whose X-Forwarded-For and
  // X-Forwarded-Proto are believed (ForwardedClient.h). Validated entries.
  std::vector<std::string> trustedProxies;
  // Failed logins allowed per user name within the window (a client address
  // gets four times as many, for people sharing a proxy).
  unsigned maxLoginFailures = 5;
  unsigned loginFailureWindowSeconds = 60;
  // Seconds a checked session or API token is trusted from memory (0: never).
  unsigned credentialCacheSeconds = 2;
};

// Reads the section from Orthanc's whole configuration; no section, or an
// empty one, gives the defaults. Throws std::invalid_argument naming the key
// ("MedicalImageServer.<key>") and the reason when a value is unusable or a
// key is not one of PluginConfigurationKeys() (a typo would otherwise leave a
// default in place unnoticed), so that the plugin refuses to start rather
// than run with a surprise.
PluginConfiguration ParsePluginConfiguration(const Json::Value& orthancConfiguration);

// The keys the section may hold, in the order of the README's table.
std::vector<std::string> PluginConfigurationKeys();

}  // namespace mis
