#include "PluginState.h"

namespace mis::orthanc {
namespace {
PluginConfiguration globalConfiguration;
TrustedProxies globalProxies;
}

void SetPluginConfiguration(const PluginConfiguration& configuration) {
  globalConfiguration = configuration;
  globalProxies = TrustedProxies(configuration.trustedProxies);
}

const PluginConfiguration& GetPluginConfiguration() { return globalConfiguration; }

const TrustedProxies& GetTrustedProxies() { return globalProxies; }

}  // namespace mis::orthanc
