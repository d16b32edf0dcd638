// Entry points of the Orthanc plugin: check the SDK, read the configuration,
// register the routes. Logic lives in the route files and in the core library.

#include <orthanc/OrthancCPlugin.h>

#include <json/value.h>

#include <exception>
#include <string>
#include <vector>

#include "AuditRoute.h"
#include "AuthRoutes.h"
#include "AuthService.h"
#include "DefaultVolume.h"
#include "DicomPixelReader.h"
#include "DicomStoreAudit.h"
#include "IncomingRequestFilter.h"
#include "OrthancApi.h"
#include "PluginState.h"
#include "ReceivedInstanceCheck.h"
#include "RestRoute.h"
#include "SeriesRoutes.h"
#include "ServiceRoutes.h"
#include "UserStoreFactory.h"
#include "VolumeRoute.h"

namespace {

// The users database (UserStoreFactory.h), with Orthanc's own default storage
// folder when its configuration names none.
std::string UsersDatabasePath(const mis::PluginConfiguration& configuration,
                              const Json::Value& orthancConfiguration) {
  const Json::Value& storage = orthancConfiguration["StorageDirectory"];
  return mis::ChooseUsersDatabase(
      configuration.usersDatabase,
      storage.isString() ? storage.asString() : std::string("OrthancStorage"));
}

// At Orthanc's start, its REST API can store the sample volume (on another
// thread: REST calls from this callback would deadlock then). A new instance
// is audited if it came by C-STORE: Orthanc signals it on its change thread,
// after the store, where REST calls are fine and the sender does not wait.
OrthancPluginErrorCode OnChange(OrthancPluginChangeType change,
                                OrthancPluginResourceType resourceType, const char* resourceId) {
  if (change == OrthancPluginChangeType_NewInstance &&
      resourceType == OrthancPluginResourceType_Instance && resourceId != nullptr) {
    mis::orthanc::AuditDicomStore(resourceId);
  } else if (change == OrthancPluginChangeType_OrthancStarted) {
    try {
      mis::orthanc::StartDefaultVolumeImport(mis::orthanc::GetPluginConfiguration().dataDirectory);
    } catch (const std::exception& error) {
      mis::orthanc::LogError(std::string("cannot import the default volume: ") + error.what());
    }
  }
  return OrthancPluginErrorCode_Success;
}

// The route table: who may call each route is said here and only here (the
// request filter reads the public lines from it too).
std::vector<mis::orthanc::RouteEntry> RouteTable() {
  using namespace mis::orthanc;
  using mis::Access;
  // The default volume, and any stored series by its Orthanc id.
  const std::string series = "/api/series/([^/]+)";
  return {
      PublicEntry<HandleHealth>("/api/health", "GET"),
      Entry<HandleOpenApi>("/api/openapi.json"),
      PublicEntry<HandleLogin>("/api/auth/login", "POST"),
      PublicEntry<HandleAccessCheck>("/api/auth/check", "GET"),
      Entry<HandleLogout>("/api/auth/logout"),
      Entry<HandleMe>("/api/auth/me"),
      Entry<HandleAudit, Access::kAdmin>("/api/audit"),
      Entry<HandleVolumeUpload>("/api/volume"),
      Entry<HandleVolumeUploadAndStore>("/api/volume/store"),
      Entry<HandleVolumeUploadWithPreview>("/api/volume/preview"),
      Entry<HandleUploadCheck>("/api/upload-check"),
      Entry<HandleDefaultSeries>("/api/default-series"),
      Entry<HandlePatientName>("/api/patient-name"),
      Entry<HandlePatientName>(series + "/patient-name"),
      Entry<HandleMiddleSlice>("/api/middle-slice"),
      Entry<HandleMiddleSlice>(series + "/middle-slice"),
      Entry<HandleMiddleSliceInfo>("/api/middle-slice/info"),
      Entry<HandleMiddleSliceInfo>(series + "/middle-slice/info"),
      Entry<HandleSeriesVolume>(series + "/volume"),
      // The web UI: public files (they hold no patient data).
      PublicEntry<HandleRoot>("/", "GET"),
      // Orthanc drops the trailing slash of "/ui/" before matching plugin routes.
      PublicEntry<HandleStaticFile>("/ui", "GET"),
      PublicEntry<HandleStaticFile>("/ui/(.+)", "GET"),
  };
}

void RegisterRoutes() {
  using namespace mis::orthanc;
  const std::vector<RouteEntry> table = RouteTable();
  for (const RouteEntry& entry : table) {
    RegisterRoute(entry.pattern, entry.callback, true);
  }
  RegisterIncomingRequestFilter(PublicRoutesOf(table));
  RegisterReceivedInstanceCheck();
  OrthancPluginRegisterOnChangeCallback(Context(), OnChange);
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
    const Json::Value orthancConfiguration = ReadOrthancConfiguration();
    SetPluginConfiguration(mis::ParsePluginConfiguration(orthancConfiguration));
    WarnOfUnauditedDicomServices(orthancConfiguration);
    StartAuthService(GetPluginConfiguration(),
                     UsersDatabasePath(GetPluginConfiguration(), orthancConfiguration));
  } catch (const std::exception& error) {
    LogError(std::string(kPluginName) + " refuses to start: " + error.what());
    return -1;
  }
  // Debian's Orthanc shares the system DCMTK with us, so its codec list is the
  // same; registering is idempotent, and Orthanc owns the clean-up at exit.
  mis::RegisterDicomDecoders();
  constexpr const char* kDescription =
      "Medical image server: authentication, thresholded volumes, "
      "patient name and middle-slice rendering.";
#if ORTHANC_PLUGINS_VERSION_IS_ABOVE(1, 12, 4)
  // SetDescription (deprecated there) names the plugin through a second
  // OrthancPluginGetName(), which may resolve to another plugin's.
  OrthancPluginSetDescription2(context, kPluginName, kDescription);
#else
  OrthancPluginSetDescription(context, kDescription);
#endif
  try {
    RegisterRoutes();
  } catch (const std::exception& error) {
    LogError(std::string(kPluginName) + " cannot register its routes: " + error.what());
    return -1;
  }
  const auto& configuration = GetPluginConfiguration();
  LogWarning(std::string(kPluginName) + " " + MIS_VERSION + " started (threshold " +
             std::to_string(configuration.threshold) + ")");
  return 0;
}

ORTHANC_PLUGINS_API void OrthancPluginFinalize() {
  mis::orthanc::StopDefaultVolumeImport();
  mis::orthanc::StopAuthService();
}

ORTHANC_PLUGINS_API const char* OrthancPluginGetName() { return mis::orthanc::kPluginName; }

ORTHANC_PLUGINS_API const char* OrthancPluginGetVersion() { return MIS_VERSION; }

}  // extern "C"
