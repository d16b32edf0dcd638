#include "OrthancApi.h"

#include <json/value.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "HttpError.h"
#include "JsonText.h"

namespace mis::orthanc {
namespace {
OrthancPluginContext* globalContext = nullptr;
}

void SetContext(OrthancPluginContext* context) { globalContext = context; }

OrthancPluginContext* Context() {
  if (globalContext == nullptr) throw std::logic_error("the Orthanc context is not set");
  return globalContext;
}

const char* MethodName(OrthancPluginHttpMethod method) {
  switch (method) {
    case OrthancPluginHttpMethod_Get: return "GET";
    case OrthancPluginHttpMethod_Post: return "POST";
    case OrthancPluginHttpMethod_Put: return "PUT";
    case OrthancPluginHttpMethod_Delete: return "DELETE";
    default: return "OTHER";
  }
}

const char* ValueOf(std::string_view name, uint32_t count, const char* const* keys,
                    const char* const* values) {
  for (uint32_t i = 0; i < count; ++i) {
    if (name == keys[i]) return values[i];
  }
  return nullptr;
}

bool OrthancIsAtLeast(int major, int minor, int revision) {
  return OrthancPluginCheckVersionAdvanced(Context(), major, minor, revision) != 0;
}

namespace {
enum class LogLevel { kError, kWarning, kInfo };

#if ORTHANC_PLUGINS_VERSION_IS_ABOVE(1, 12, 4)
// OrthancPluginLogMessage is in the SDK we build against (Debian 13's); it is
// used only if the Orthanc that loaded us has it too.
bool OrthancHasLogMessage() {
  static const bool has = OrthancIsAtLeast(1, 12, 4);
  return has;
}

OrthancPluginLogLevel ToOrthanc(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return OrthancPluginLogLevel_Error;
    case LogLevel::kWarning: return OrthancPluginLogLevel_Warning;
    default: return OrthancPluginLogLevel_Info;
  }
}

// "…/plugin/src/orthanc/Plugin.cpp" -> "Plugin.cpp": no build path in the logs.
const char* BaseName(const char* file) {
  const char* slash = std::strrchr(file, '/');
  return slash == nullptr ? file : slash + 1;
}
#endif

void Log(LogLevel level, const std::string& message, const char* file, int line) {
#if ORTHANC_PLUGINS_VERSION_IS_ABOVE(1, 12, 4)
  if (OrthancHasLogMessage()) {
    OrthancPluginLogMessage(Context(), message.c_str(), kPluginName, BaseName(file),
                            static_cast<uint32_t>(line), OrthancPluginLogCategory_Generic,
                            ToOrthanc(level));
    return;
  }
#else
  (void)file;  // OrthancPluginLog* take the message only
  (void)line;
#endif
  switch (level) {
    case LogLevel::kError: OrthancPluginLogError(Context(), message.c_str()); break;
    case LogLevel::kWarning: OrthancPluginLogWarning(Context(), message.c_str()); break;
    case LogLevel::kInfo: OrthancPluginLogInfo(Context(), message.c_str()); break;
  }
}
}  // namespace

void LogInfo(const std::string& message, const char* file, int line) {
  Log(LogLevel::kInfo, message, file, line);
}
void LogWarning(const std::string& message, const char* file, int line) {
  Log(LogLevel::kWarning, message, file, line);
}
void LogError(const std::string& message, const char* file, int line) {
  Log(LogLevel::kError, message, file, line);
}

OrthancString::~OrthancString() {
  if (value_ != nullptr) OrthancPluginFreeString(Context(), value_);
}

OrthancImage::~OrthancImage() {
  if (image_ != nullptr) OrthancPluginFreeImage(Context(), image_);
}

OrthancBuffer::~OrthancBuffer() {
  if (buffer_.data != nullptr) OrthancPluginFreeMemoryBuffer(Context(), &buffer_);
}

std::string OrthancBuffer::ToString() const {
  return buffer_.data == nullptr ? std::string()
                                 : std::string(static_cast<const char*>(buffer_.data), buffer_.size);
}

namespace {
Json::Value ParseJson(const std::string& json, const char* what) {
  Json::Value value;
  std::string errors;
  if (!ReadJsonText(json, value, errors)) {
    throw std::runtime_error(std::string(what) + " is not valid JSON: " + errors);
  }
  return value;
}
}  // namespace

Json::Value RestApiPost(const std::string& uri, const void* body, size_t size) {
  OrthancBuffer answer;
  const OrthancPluginErrorCode code =
      OrthancPluginRestApiPost(Context(), answer.Out(), uri.c_str(), body, size);
  if (code != OrthancPluginErrorCode_Success) {
    throw HttpError(500, "storage_failed", std::string("Orthanc refused to store the file: ") +
                                               OrthancPluginGetErrorDescription(Context(), code));
  }
  return ParseJson(answer.ToString(), "Orthanc's answer");
}

std::optional<std::string> RestApiGetBytes(const std::string& uri) {
  OrthancBuffer answer;
  const OrthancPluginErrorCode code =
      OrthancPluginRestApiGet(Context(), answer.Out(), uri.c_str());
  if (code == OrthancPluginErrorCode_UnknownResource ||
      code == OrthancPluginErrorCode_InexistentItem) {
    return std::nullopt;
  }
  if (code != OrthancPluginErrorCode_Success) {
    throw HttpError(500, "orthanc_error", "GET " + uri + ": " +
                                              OrthancPluginGetErrorDescription(Context(), code));
  }
  return answer.ToString();
}

std::optional<Json::Value> RestApiGetJson(const std::string& uri) {
  const std::optional<std::string> answer = RestApiGetBytes(uri);
  if (!answer) return std::nullopt;
  return ParseJson(*answer, "Orthanc's answer");
}

std::string InstanceFile(const std::string& instanceId) {
  OrthancBuffer file;
  if (OrthancPluginGetDicomForInstance(Context(), file.Out(), instanceId.c_str()) !=
      OrthancPluginErrorCode_Success) {
    throw HttpError(404, "unknown_instance", "instance " + instanceId + " is not stored (any more)");
  }
  return file.ToString();
}

Json::Value ReadOrthancConfiguration() {
  OrthancString text(OrthancPluginGetConfiguration(Context()));
  if (text.IsNull()) throw std::runtime_error("Orthanc gave no configuration");
  return ParseJson(text.Get(), "Orthanc's configuration");
}

}  // namespace mis::orthanc
