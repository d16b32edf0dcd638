#pragma once

#include "ForwardedClient.h"
#include "PluginConfiguration.h"

namespace mis::orthanc {

// The validated configuration, set once at start-up before any route runs and
// read-only afterwards, so routes may read it from any thread.
void SetPluginConfiguration(const PluginConfiguration& configuration);
const PluginConfiguration& GetPluginConfiguration();

// The configuration's TrustedProxies, parsed once.
const TrustedProxies& GetTrustedProxies();

}  // namespace mis::orthanc
