#pragma once

#include <json/value.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ChildProcess.h"
#include "HttpClient.h"
#include "HttpFront.h"
#include "TemporaryDirectory.h"

namespace mis::test {

// The first administrator the plugin creates in an empty users database
// (through MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD, set for every test server).
constexpr const char* kAdminUser = "admin";
constexpr const char* kAdminPassword = "integration-admin-password";

// Debian's DICOMweb plugin and ours (paths given by CMake).
std::vector<std::string> DefaultPlugins();

struct OrthancServerOptions {
  // Merged into the "MedicalImageServer" section, over the harness defaults.
  Json::Value pluginSettings = Json::Value(Json::objectValue);
  // Merged into the whole configuration last, so it can override anything
  // (DicomModalities, DicomWeb, ...). Objects merge key by key; a null value
  // removes the key.
  Json::Value orthancSettings = Json::Value(Json::objectValue);
  std::vector<std::string> plugins = DefaultPlugins();
  // The server is ready once GET on this path answers 200.
  std::string readinessPath = "/api/health";
  std::chrono::milliseconds startupTimeout = std::chrono::seconds(20);
  std::chrono::milliseconds shutdownTimeout = std::chrono::seconds(20);
  // The password of the first administrator, given to the plugin through
  // MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD; empty: the plugin makes a random one.
  std::string adminPassword = kAdminPassword;
  // Orthanc's storage and index folder (also the users database's); empty:
  // "storage" in the server's temporary directory.
  std::filesystem::path storageDirectory;
  // Extra variables for the Orthanc process (TCP_NODELAY=1 is always set).
  std::vector<std::pair<std::string, std::string>> environment;
  // The HTTP front (nginx, as `make run` starts it) in front of Orthanc, the
  // plugin trusting its X-Forwarded-For (TrustedProxies ["127.0.0.1"] unless
  // pluginSettings say otherwise): BaseUrl() and Http() go through it,
  // DirectUrl() and DirectHttp() to Orthanc. Off: they are the same.
  bool front = true;
};

// A real Orthanc (/usr/sbin/Orthanc) with our plugin, on free HTTP and DICOM
// ports, and by default the HTTP front before it, with their configuration,
// storage and logs in a fresh temporary directory. The constructor returns
// once the server answers through the front; the destructor stops both, waits
// until the processes have exited and removes the directory.
class OrthancServer {
 public:
  explicit OrthancServer(OrthancServerOptions options = {});
  ~OrthancServer();
  OrthancServer(const OrthancServer&) = delete;
  OrthancServer& operator=(const OrthancServer&) = delete;

  // What happened to a server whose configuration should stop it from starting.
  struct FailedStart {
    ExitStatus status;
    std::string log;
  };
  // Starts a server and waits for its process to exit. Throws if it answers
  // instead, or neither answers nor exits within the startup timeout.
  static FailedStart StartExpectingFailure(OrthancServerOptions options);

  // The port users reach: the front's, or Orthanc's without a front.
  uint16_t HttpPort() const;
  // Orthanc's own HTTP port.
  uint16_t DirectPort() const { return httpPort_; }
  uint16_t DicomPort() const { return dicomPort_; }
  // The front's URL (Orthanc's without a front).
  std::string BaseUrl() const;
  // Orthanc's own URL, behind the front.
  std::string DirectUrl() const;
  // A client logged in as the administrator (HTTP Basic), through the front.
  HttpClient Http() const { return AnonymousHttp().WithBasicAuth(kAdminUser, kAdminPassword); }
  // A client without credentials, through the front.
  HttpClient AnonymousHttp() const { return HttpClient(BaseUrl()); }
  // The administrator's client straight to Orthanc (.Anonymous() for none).
  HttpClient DirectHttp() const {
    return HttpClient(DirectUrl()).WithBasicAuth(kAdminUser, kAdminPassword);
  }

  // Orthanc's process.
  pid_t Pid() const;
  // The front, or null without one.
  HttpFront* Front() const { return front_.get(); }
  // Orthanc, and the front when there is one.
  bool IsRunning();
  const std::filesystem::path& Directory() const { return directory_.Path(); }
  std::filesystem::path ConfigurationFile() const;
  std::filesystem::path StorageDirectory() const;
  // Where the plugin keeps users and sessions: the configured UsersDatabase
  // (a file or a postgresql:// URI), else users.sqlite in the storage.
  std::string UsersDatabase() const;
  std::filesystem::path LogFile() const;
  // The configuration as written for Orthanc.
  const Json::Value& Configuration() const { return configuration_; }
  // Orthanc's log.
  std::string Log() const;
  // The end of Orthanc's log, then of the front's (nginx's stderr) if any.
  std::string LogTail(size_t lines = 40) const;
  // In a sanitized build (make test-asan): what AddressSanitizer, LeakSanitizer
  // or UndefinedBehaviorSanitizer wrote about the server process so far, empty
  // if nothing. Stop() fails the current test with it.
  std::string SanitizerReport() const;

  // Stops the server and its front (idempotent) and returns how Orthanc's
  // process ended. A sanitizer report from the process fails the current test
  // (ADD_FAILURE).
  ExitStatus Stop();
  // Stops the server and its front and starts them again on the same ports
  // and storage.
  void Restart();
  // Ends Orthanc with SIGKILL, without any chance to clean up (a crash); the
  // front goes on (answering 502). Restart() starts it again.
  ExitStatus Kill();

 private:
  struct NoWait {};
  OrthancServer(OrthancServerOptions options, NoWait);

  enum class Startup { Answering, Exited, FrontExited, TimedOut };
  void Launch();  // new ports, configuration written, processes started
  void WriteConfiguration();
  std::filesystem::path UiDirectory();
  void Spawn();
  // Orthanc directly, then through the front.
  Startup WaitUntilAnswering();
  std::string DescribeFailedStart(Startup startup) const;
  void StartOrThrow();
  void FailOnSanitizerReport();

  OrthancServerOptions options_;
  TemporaryDirectory directory_;
  uint16_t httpPort_ = 0;
  uint16_t dicomPort_ = 0;
  Json::Value configuration_;
  std::unique_ptr<ChildProcess> process_;
  std::unique_ptr<HttpFront> front_;
  std::optional<ExitStatus> lastExit_;
};

}  // namespace mis::test
