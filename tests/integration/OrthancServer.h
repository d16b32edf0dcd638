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
};

// A real Orthanc (/usr/sbin/Orthanc) with our plugin, on free HTTP and DICOM
// ports, with its configuration, storage and log in a fresh temporary
// directory. The constructor returns once the server answers; the destructor
// stops it, waits until the process has exited and removes the directory.
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

  uint16_t HttpPort() const { return httpPort_; }
  uint16_t DicomPort() const { return dicomPort_; }
  std::string BaseUrl() const;
  // A client logged in as the administrator (HTTP Basic).
  HttpClient Http() const { return AnonymousHttp().WithBasicAuth(kAdminUser, kAdminPassword); }
  // A client without credentials.
  HttpClient AnonymousHttp() const { return HttpClient(BaseUrl()); }

  pid_t Pid() const;
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
  std::string Log() const;
  std::string LogTail(size_t lines = 40) const;
  // In a sanitized build (make test-asan): what AddressSanitizer, LeakSanitizer
  // or UndefinedBehaviorSanitizer wrote about the server process so far, empty
  // if nothing. Stop() fails the current test with it.
  std::string SanitizerReport() const;

  // Stops the server (idempotent) and returns how its process ended. A
  // sanitizer report from the process fails the current test (ADD_FAILURE).
  ExitStatus Stop();
  // Stops the server and starts it again on the same ports and storage.
  void Restart();
  // Ends the server with SIGKILL, without any chance to clean up (a crash);
  // Restart() starts it again.
  ExitStatus Kill();

 private:
  struct NoWait {};
  OrthancServer(OrthancServerOptions options, NoWait);

  enum class Startup { Answering, Exited, TimedOut };
  void Launch();  // new ports, configuration written, process started
  void WriteConfiguration();
  void Spawn();
  Startup WaitUntilAnswering();
  void StartOrThrow();
  void FailOnSanitizerReport();

  OrthancServerOptions options_;
  TemporaryDirectory directory_;
  uint16_t httpPort_ = 0;
  uint16_t dicomPort_ = 0;
  Json::Value configuration_;
  std::unique_ptr<ChildProcess> process_;
  std::optional<ExitStatus> lastExit_;
};

}  // namespace mis::test
