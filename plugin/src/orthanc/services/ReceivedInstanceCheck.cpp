#include "ReceivedInstanceCheck.h"

#include <orthanc/OrthancCPlugin.h>

#include <string>
#include <string_view>

#include "DicomNesting.h"
#include "HttpError.h"
#include "OrthancApi.h"

namespace mis::orthanc {
namespace {

const char* OriginName(OrthancPluginInstanceOrigin origin) {
  switch (origin) {
    case OrthancPluginInstanceOrigin_DicomProtocol: return "C-STORE";
    case OrthancPluginInstanceOrigin_RestApi: return "the REST API";
    case OrthancPluginInstanceOrigin_Plugin: return "a plugin";
    case OrthancPluginInstanceOrigin_Lua: return "a Lua script";
    case OrthancPluginInstanceOrigin_WebDav: return "WebDAV";
    default: return "an unknown origin";
  }
}

// How the check refuses an instance. Discard would not do: Orthanc 1.10
// answers a discarded REST upload with the instance's summary, parsing the
// file to make it (the crash again, on the HTTP thread). "Modify" with no
// modified file is an error in Orthanc's eyes, which ends the store before
// anything reads the file: a failure status to a C-STORE sender, a failed
// instance in a STOW-RS answer, 500 to POST /instances.
constexpr OrthancPluginReceivedInstanceAction kRefuse = OrthancPluginReceivedInstanceAction_Modify;

OrthancPluginReceivedInstanceAction CheckReceivedInstance(OrthancPluginMemoryBuffer64*,
                                                          const void* data, uint64_t size,
                                                          OrthancPluginInstanceOrigin origin) {
  try {
    RequireShallowNesting(std::string_view(static_cast<const char*>(data), size),
                          kMaxDecodedDicomBytes);
    return OrthancPluginReceivedInstanceAction_KeepAsIs;
  } catch (const HttpError& refusal) {  // the refusal our routes answer with
    LogWarning(std::string("refused an instance from ") + OriginName(origin) + ": " +
               refusal.Detail());
    return kRefuse;
  } catch (...) {
    LogError("the check of a received instance failed: instance refused");
    return kRefuse;  // fail closed
  }
}

}  // namespace

void RegisterReceivedInstanceCheck() {
  OrthancPluginRegisterReceivedInstanceCallback(Context(), CheckReceivedInstance);
}

}  // namespace mis::orthanc
