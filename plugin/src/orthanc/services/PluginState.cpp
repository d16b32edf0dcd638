#include "PluginState.h"

namespace mis::orthanc {
namespace {
PluginConfiguration globalConfiguration;
}

void SetPluginConfiguration(const PluginConfiguration& configuration) {
  globalConfiguration = configuration;
}

const PluginConfiguration& GetPluginConfiguration() { return globalConfiguration; }

}  // namespace mis::orthanc
