// Entry points of the Orthanc plugin: check the SDK, read the configuration,
// register the routes. Logic lives in the route files and in the core library.

#include <orthanc/OrthancCPlugin.h>

#include <json/value.h>

#include <exception>
#include <string>

#include "DicomPixelReader.h"
#include "HealthRoute.h"
#include "IncomingRequestFilter.h"
#include "OrthancApi.h"
#include "PluginState.h"
#include "RestRoute.h"
#include "VolumeRoute.h"

namespace {

constexpr const char* kPluginName = "medical-image-server";

void RegisterRoutes() {
  using namespace mis::orthanc;
  RegisterRoute("/api/health", Route<HandleHealth>, true);
  RegisterRoute("/api/volume", Route<HandleVolumeUpload>, true);
  RegisterRoute("/api/volume/store", Route<HandleVolumeUploadAndStore>, true);
  OrthancPluginRegisterIncomingHttpRequestFilter2(Context(), FilterIncomingRequest);
}

}  // namespace

extern "C" {

ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext* context) {
  using namespace mis::orthanc;
  SetContext(context);
  if (!OrthancPluginCheckVersion(context)) {
    LogError(std::string(kPluginName) + " needs Orthanc " +
             std::to_string(ORTHANC_PLUGINS_MINIMAL_MAJOR_NUMBER) + "." +
             std::to_string(ORTHANC_PLUGINS_MINIMAL_MINOR_NUMBER) + "." +
             std::to_string(ORTHANC_PLUGINS_MINIMAL_REVISION_NUMBER) + " or newer, this is " +
             context->orthancVersion);
    return -1;
  }
  try {
    SetPluginConfiguration(mis::ParsePluginConfiguration(ReadOrthancConfiguration()));
  } catch (const std::exception& error) {
    LogError(std::string(kPluginName) + " refuses to start, invalid configuration: " +
             error.what());
    return -1;
  }
  // Debian's Orthanc shares the system DCMTK with us, so its codec list is the
  // same; registering is idempotent, and Orthanc owns the clean-up at exit.
  mis::RegisterDicomDecoders();
  OrthancPluginSetDescription(context,
                              "Medical image server: authentication, thresholded volumes, "
                              "patient name and middle-slice rendering.");
  RegisterRoutes();
  const auto& configuration = GetPluginConfiguration();
  LogWarning(std::string(kPluginName) + " " + MIS_VERSION + " started (threshold " +
             std::to_string(configuration.threshold) + ")");
  return 0;
}

ORTHANC_PLUGINS_API void OrthancPluginFinalize() {}

ORTHANC_PLUGINS_API const char* OrthancPluginGetName() { return kPluginName; }

ORTHANC_PLUGINS_API const char* OrthancPluginGetVersion() { return MIS_VERSION; }

}  // extern "C"
