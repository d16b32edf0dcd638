#include "OrthancServer.h"

#include <gtest/gtest.h>
#include <json/writer.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "FreePort.h"

namespace mis::test {
namespace {

// Another process may take a free port between our probe and Orthanc's bind:
// such a start is retried on new ports.
constexpr int kStartAttempts = 3;
constexpr const char* kPortTakenMessage = "privileged or already in use";
// The sanitizers' log_path in the server's directory: they write <name>.<pid>.
constexpr const char* kSanitizerLogName = "sanitizer";

void Merge(Json::Value& target, const Json::Value& source) {
  for (const std::string& key : source.getMemberNames()) {
    const Json::Value& value = source[key];
    if (value.isNull()) {
      target.removeMember(key);
    } else if (value.isObject() && target[key].isObject()) {
      Merge(target[key], value);
    } else {
      target[key] = value;
    }
  }
}

std::string ToText(const Json::Value& value) {
  Json::StreamWriterBuilder builder;
  builder["indentation"] = "  ";
  return Json::writeString(builder, value);
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

std::vector<std::string> DefaultPlugins() { return {MIS_DICOMWEB_PLUGIN, MIS_PLUGIN_PATH}; }

OrthancServer::OrthancServer(OrthancServerOptions options, NoWait)
    : options_(std::move(options)), directory_("mis-orthanc-test") {
  std::filesystem::create_directories(StorageDirectory());
  // An empty start-up import folder: tests decide what the server holds.
  std::filesystem::create_directories(Directory() / "data");
}

OrthancServer::OrthancServer(OrthancServerOptions options)
    : OrthancServer(std::move(options), NoWait{}) {
  for (int attempt = 1;; ++attempt) {
    Launch();
    const Startup startup = WaitUntilAnswering();
    if (startup == Startup::Answering) return;
    const std::string tail = LogTail();
    Stop();
    if (startup == Startup::Exited && attempt < kStartAttempts &&
        Log().find(kPortTakenMessage) != std::string::npos) {
      continue;
    }
    throw std::runtime_error(
        "Orthanc did not start (" +
        (startup == Startup::Exited ? lastExit_->Describe()
                                    : "no answer on " + options_.readinessPath + " after " +
                                          std::to_string(options_.startupTimeout.count()) + " ms") +
        "); its log ends with:\n" + tail);
  }
}

OrthancServer::~OrthancServer() { Stop(); }

OrthancServer::FailedStart OrthancServer::StartExpectingFailure(OrthancServerOptions options) {
  OrthancServer server(std::move(options), NoWait{});
  server.Launch();
  const Startup startup = server.WaitUntilAnswering();
  if (startup == Startup::Answering) {
    throw std::runtime_error("Orthanc started although it was expected to fail; log ends with:\n" +
                             server.LogTail());
  }
  if (startup == Startup::TimedOut) {
    throw std::runtime_error("Orthanc neither answered nor exited; log ends with:\n" +
                             server.LogTail());
  }
  return FailedStart{*server.lastExit_, server.Log()};
}

void OrthancServer::Launch() {
  WriteConfiguration();
  Spawn();
}

void OrthancServer::WriteConfiguration() {
  httpPort_ = FindFreeTcpPort();
  dicomPort_ = FindFreeTcpPort();
  const std::string storage = StorageDirectory().string();

  Json::Value configuration(Json::objectValue);
  configuration["Name"] = "MedicalImageServerTest";
  configuration["HttpPort"] = httpPort_;
  configuration["DicomPort"] = dicomPort_;
  configuration["StorageDirectory"] = storage;
  configuration["IndexDirectory"] = storage;
  configuration["HttpServerEnabled"] = true;
  configuration["RemoteAccessAllowed"] = false;  // tests talk to 127.0.0.1 only
  // Orthanc's own Basic auth runs before our filter: every config loading the plugin disables it.
  configuration["AuthenticationEnabled"] = false;
  configuration["HttpCompressionEnabled"] = false;
  configuration["DicomServerEnabled"] = true;
  configuration["DicomAet"] = "MISTEST";
  configuration["DicomCheckCalledAet"] = false;
  configuration["StorageCompression"] = false;
  configuration["Plugins"] = Json::Value(Json::arrayValue);
  for (const std::string& plugin : options_.plugins) configuration["Plugins"].append(plugin);
  configuration["DicomWeb"]["Enable"] = true;
  configuration["DicomWeb"]["Root"] = "/dicom-web/";
  Json::Value& section = configuration["MedicalImageServer"];
  section["DataDirectory"] = (Directory() / "data").string();
  Merge(section, options_.pluginSettings);
  Merge(configuration, options_.orthancSettings);
  configuration_ = configuration;

  std::filesystem::create_directories(ConfigurationFile().parent_path());
  std::ofstream(ConfigurationFile()) << ToText(configuration_);
}

void OrthancServer::Spawn() {
  auto environment = options_.environment;
  environment.emplace_back("TCP_NODELAY", "1");  // as scripts/run-server.sh does
  // Always set, so that a value in the test run's own environment (a
  // container made for make run, say) never reaches the server: empty means
  // "make a random password and log it", as when the variable is unset.
  environment.emplace_back("MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD", options_.adminPassword);
#ifdef MIS_SANITIZED_BUILD
  // A report goes to a file in the server's directory and stops the server;
  // Stop() turns it into a test failure.
  const std::string logPath = (Directory() / kSanitizerLogName).string();
  environment.emplace_back("UBSAN_OPTIONS",
                           "print_stacktrace=1:halt_on_error=1:log_path=" + logPath);
#endif
#ifdef MIS_ASAN_RUNTIME
  // Orthanc is not instrumented: the ASan runtime must come first in the
  // process for an ASan plugin to load (it brings libubsan itself).
  environment.emplace_back("LD_PRELOAD", MIS_ASAN_RUNTIME);
  environment.emplace_back("ASAN_OPTIONS",
                           "abort_on_error=1:halt_on_error=1:detect_leaks=1:log_path=" + logPath);
  environment.emplace_back("LSAN_OPTIONS", std::string("suppressions=") + MIS_LSAN_SUPPRESSIONS +
                                               ":print_suppressions=0");
#endif
  lastExit_.reset();
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{MIS_ORTHANC_EXECUTABLE, ConfigurationFile().parent_path().string()},
      Directory(), LogFile(), environment);
}

OrthancServer::Startup OrthancServer::WaitUntilAnswering() {
  const HttpClient client(BaseUrl(), std::chrono::seconds(2));
  const auto deadline = std::chrono::steady_clock::now() + options_.startupTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto status = process_->Poll()) {
      lastExit_ = status;
      return Startup::Exited;
    }
    try {
      if (client.Get(options_.readinessPath).status == 200) return Startup::Answering;
    } catch (const std::runtime_error&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  lastExit_ = process_->Poll();
  return lastExit_ ? Startup::Exited : Startup::TimedOut;
}

std::string OrthancServer::BaseUrl() const {
  return "http://127.0.0.1:" + std::to_string(httpPort_);
}

pid_t OrthancServer::Pid() const { return process_ ? process_->Pid() : -1; }

bool OrthancServer::IsRunning() { return process_ && !process_->Poll(); }

std::filesystem::path OrthancServer::ConfigurationFile() const {
  return Directory() / "config" / "orthanc.json";
}

std::filesystem::path OrthancServer::StorageDirectory() const {
  return options_.storageDirectory.empty() ? Directory() / "storage" : options_.storageDirectory;
}

std::string OrthancServer::UsersDatabase() const {
  const Json::Value& configured = options_.pluginSettings["UsersDatabase"];
  return configured.isString() ? configured.asString()
                               : (StorageDirectory() / "users.sqlite").string();
}

std::filesystem::path OrthancServer::LogFile() const { return Directory() / "orthanc.log"; }

std::string OrthancServer::Log() const { return ReadWholeFile(LogFile()); }

std::string OrthancServer::LogTail(size_t lines) const {
  const std::string log = Log();
  size_t start = log.size();
  for (size_t found = 0; start > 0 && found <= lines;) {
    --start;
    if (log[start] == '\n') ++found;
  }
  return log.substr(start);
}

ExitStatus OrthancServer::Kill() {
  if (process_) {
    lastExit_ = process_->Kill();
    process_.reset();
  }
  return lastExit_.value_or(ExitStatus{});
}

std::string OrthancServer::SanitizerReport() const {
  std::string report;
  for (const auto& entry : std::filesystem::directory_iterator(Directory())) {
    if (entry.path().stem() == kSanitizerLogName) {
      report += "== " + entry.path().filename().string() + "\n" + ReadWholeFile(entry.path());
    }
  }
  return report;
}

void OrthancServer::FailOnSanitizerReport() {
  const std::string report = SanitizerReport();
  if (report.empty()) return;
  ADD_FAILURE() << "sanitizer report from Orthanc and our plugin (" << Directory().string()
                << "):\n"
                << report;
  // Reported once: a restarted server writes its own file.
  for (const auto& entry : std::filesystem::directory_iterator(Directory())) {
    if (entry.path().stem() == kSanitizerLogName) std::filesystem::remove(entry.path());
  }
}

ExitStatus OrthancServer::Stop() {
  if (process_) {
    lastExit_ = process_->Terminate(options_.shutdownTimeout);
    process_.reset();
    // Leaks are only known once the process has exited.
    FailOnSanitizerReport();
  }
  return lastExit_.value_or(ExitStatus{});
}

void OrthancServer::Restart() {
  Stop();
  // Same configuration, hence same ports: clients keep their base URL.
  Spawn();
  if (WaitUntilAnswering() != Startup::Answering) {
    throw std::runtime_error("Orthanc did not restart; log ends with:\n" + LogTail());
  }
}

}  // namespace mis::test
