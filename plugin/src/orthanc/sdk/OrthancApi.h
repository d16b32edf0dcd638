#pragma once

// The one place where the Orthanc C API is wrapped: the plugin context, logging,
// and RAII owners for what Orthanc allocates.

#include <orthanc/OrthancCPlugin.h>

#include <optional>
#include <string>
#include <string_view>

namespace Json {
class Value;
}

namespace mis::orthanc {

// The plugin's name, as Orthanc knows it (OrthancPluginGetName).
constexpr const char* kPluginName = "medical-image-server";

void SetContext(OrthancPluginContext* context);
OrthancPluginContext* Context();

// Whether the running Orthanc is at least major.minor.revision
// (OrthancPluginCheckVersionAdvanced): for features newer than the oldest
// Orthanc we support (1.10.1, Debian 12).
bool OrthancIsAtLeast(int major, int minor, int revision);

// "GET", "POST", "PUT", "DELETE" (what the request policy and Allow headers use).
const char* MethodName(OrthancPluginHttpMethod method);

// The value of `name` among the keys and values Orthanc hands a request filter
// or a route (headers, whose names Orthanc lower-cases, or query arguments);
// nullptr when absent.
const char* ValueOf(std::string_view name, uint32_t count, const char* const* keys,
                    const char* const* values);

// Log lines. Orthanc 1.12.4 and newer (Debian 13) get them through
// OrthancPluginLogMessage, which writes our plugin's name and the caller's
// file and line ("medical-image-server:/Plugin.cpp:122]"); older ones through
// OrthancPluginLog*, which write Orthanc's own PluginsManager.cpp instead.
// The defaults are the call site's (GCC and clang builtins).
void LogInfo(const std::string& message, const char* file = __builtin_FILE(),
             int line = __builtin_LINE());
void LogWarning(const std::string& message, const char* file = __builtin_FILE(),
                int line = __builtin_LINE());
void LogError(const std::string& message, const char* file = __builtin_FILE(),
              int line = __builtin_LINE());

// Owns a string that Orthanc allocated.
class OrthancString {
 public:
  explicit OrthancString(char* value) : value_(value) {}
  ~OrthancString();
  OrthancString(const OrthancString&) = delete;
  OrthancString& operator=(const OrthancString&) = delete;
  const char* Get() const { return value_; }
  bool IsNull() const { return value_ == nullptr; }

 private:
  char* value_;
};

// Owns an image that Orthanc decoded.
class OrthancImage {
 public:
  explicit OrthancImage(OrthancPluginImage* image) : image_(image) {}
  ~OrthancImage();
  OrthancImage(const OrthancImage&) = delete;
  OrthancImage& operator=(const OrthancImage&) = delete;
  OrthancPluginImage* Get() const { return image_; }

 private:
  OrthancPluginImage* image_;
};

// Owns a memory buffer that Orthanc filled (REST API answers).
class OrthancBuffer {
 public:
  OrthancBuffer() = default;
  ~OrthancBuffer();
  OrthancBuffer(const OrthancBuffer&) = delete;
  OrthancBuffer& operator=(const OrthancBuffer&) = delete;
  OrthancPluginMemoryBuffer* Out() { return &buffer_; }
  std::string ToString() const;

 private:
  OrthancPluginMemoryBuffer buffer_{nullptr, 0};
};

// POSTs to Orthanc's own REST API (bypasses the HTTP layer and its filters).
// Returns the answer's JSON; throws HttpError 500 when Orthanc refuses.
Json::Value RestApiPost(const std::string& uri, const void* body, size_t size);

// GETs the bytes of an answer of Orthanc's own REST API (its built-in routes
// only), e.g. a tag's raw value (/instances/{id}/content/0010-0010).
// Returns nothing when the resource does not exist; throws HttpError 500 on
// other failures.
std::optional<std::string> RestApiGetBytes(const std::string& uri);

// GETs from Orthanc's own REST API (its built-in routes only).
// Returns nothing when the resource does not exist; throws HttpError 500 on
// other failures.
std::optional<Json::Value> RestApiGetJson(const std::string& uri);

// The DICOM file of a stored instance; throws HttpError 404 if it is gone.
std::string InstanceFile(const std::string& instanceId);

// Orthanc's whole configuration (all its JSON files merged) as a JSON value.
Json::Value ReadOrthancConfiguration();

}  // namespace mis::orthanc
