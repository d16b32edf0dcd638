#include "OrthancServer.h"

#include <gtest/gtest.h>
#include <json/writer.h>

#include <fstream>
#include <iostream>
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
    const std::string why = DescribeFailedStart(startup);
    const bool portTaken = Log().find(kPortTakenMessage) != std::string::npos ||
                           (front_ && front_->PortWasTaken());
    Stop();
    if (startup != Startup::TimedOut && attempt < kStartAttempts && portTaken) continue;
    throw std::runtime_error(why);
  }
}

std::string OrthancServer::DescribeFailedStart(Startup startup) const {
  switch (startup) {
    case Startup::Exited:
      return "Orthanc did not start (" + lastExit_->Describe() + "); its log ends with:\n" +
             LogTail();
    case Startup::FrontExited:
      return "the front (nginx) did not start; the logs end with:\n" + LogTail();
    default:
      return "the server did not start (no answer on " + options_.readinessPath + " after " +
             std::to_string(options_.startupTimeout.count()) + " ms); the logs end with:\n" +
             LogTail();
  }
}

OrthancServer::~OrthancServer() {
  Stop();
  // The test's failure may come from the server or its front: their logs go
  // with it, before the directory holding them is removed.
  if (::testing::Test::HasFailure()) {
    std::cout << "[ server ] " << Directory().string() << ", logs:\n" << LogTail() << std::endl;
  }
}

OrthancServer::FailedStart OrthancServer::StartExpectingFailure(OrthancServerOptions options) {
  options.front = false;  // Orthanc's own start fails: nothing to put a front before
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
  if (options_.front) {
    // The front's address: the plugin believes the client address it forwards.
    section["TrustedProxies"] = Json::Value(Json::arrayValue);
    section["TrustedProxies"].append("127.0.0.1");
  }
  Merge(section, options_.pluginSettings);
  Merge(configuration, options_.orthancSettings);
  configuration_ = configuration;

  std::filesystem::create_directories(ConfigurationFile().parent_path());
  std::ofstream(ConfigurationFile()) << ToText(configuration_);

  front_.reset();
  if (options_.front) {
    // Its upload limit is read from this configuration, as make run's is.
    front_ = std::make_unique<HttpFront>(HttpFront::Settings{
        Directory() / "front", httpPort_, ConfigurationFile(), UiDirectory()});
  }
}

std::filesystem::path OrthancServer::UiDirectory() {
  // The plugin's FrontendDirectory when a test chose one (relative to
  // Orthanc's working directory, the server's directory), as make run gives
  // nginx the plugin's frontend/dist.
  const Json::Value& configured = configuration_["MedicalImageServer"]["FrontendDirectory"];
  if (configured.isString()) return Directory() / configured.asString();
  if (std::filesystem::exists(std::filesystem::path(MIS_FRONTEND_DIST) / "index.html")) {
    return MIS_FRONTEND_DIST;
  }
  // The UI is not built (ctest may run before it is): a page of its own.
  const std::filesystem::path ui = Directory() / "ui";
  std::filesystem::create_directories(ui);
  std::ofstream(ui / "index.html") << "<!doctype html><title>UI not built</title>\n";
  return ui;
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
  if (front_) front_->Start();
}

OrthancServer::Startup OrthancServer::WaitUntilAnswering() {
  const auto deadline = std::chrono::steady_clock::now() + options_.startupTimeout;
  // Orthanc first: until it answers, the front would answer 502.
  for (const std::string& url : {DirectUrl(), BaseUrl()}) {
    const HttpClient client(url, std::chrono::seconds(2));
    for (bool answering = false; !answering;) {
      if (auto status = process_->Poll()) {
        lastExit_ = status;
        return Startup::Exited;
      }
      if (front_ && front_->Exited()) return Startup::FrontExited;
      if (std::chrono::steady_clock::now() >= deadline) return Startup::TimedOut;
      try {
        answering = client.Get(options_.readinessPath).status == 200;
      } catch (const std::runtime_error&) {
        // not listening yet
      }
      if (!answering) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return Startup::Answering;
}

uint16_t OrthancServer::HttpPort() const { return front_ ? front_->HttpPort() : httpPort_; }

std::string OrthancServer::BaseUrl() const {
  return front_ ? front_->BaseUrl() : DirectUrl();
}

std::string OrthancServer::DirectUrl() const {
  return "http://127.0.0.1:" + std::to_string(httpPort_);
}

pid_t OrthancServer::Pid() const { return process_ ? process_->Pid() : -1; }

bool OrthancServer::IsRunning() {
  return process_ && !process_->Poll() && (!front_ || front_->IsRunning());
}

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

namespace {

std::string Tail(const std::string& log, size_t lines) {
  size_t start = log.size();
  for (size_t found = 0; start > 0 && found <= lines;) {
    --start;
    if (log[start] == '\n') ++found;
  }
  return log.substr(start);
}

}  // namespace

std::string OrthancServer::LogTail(size_t lines) const {
  std::string tail = Tail(Log(), lines);
  if (front_) {
    tail += "\n--- the front (nginx, " + front_->LogFile().string() + ") ends with:\n" +
            Tail(front_->Log(), lines);
  }
  return tail;
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
  if (front_) front_->Stop();
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
