#include "HttpFront.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "FreePort.h"

namespace mis::test {
namespace {

constexpr auto kRenderTimeout = std::chrono::seconds(30);
constexpr const char* kPortTakenMessage = "Address already in use";

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Field `index` (1-based, as proc(5) numbers them) of /proc/PID/stat; "" if gone.
std::string StatField(pid_t pid, size_t index) {
  const std::string stat = ReadWholeFile("/proc/" + std::to_string(pid) + "/stat");
  // The command name (field 2) is in parentheses and may hold spaces.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  for (size_t i = 3; i <= index && rest >> field; ++i) {
  }
  return field;
}

}  // namespace

HttpFront::HttpFront(Settings settings) : settings_(std::move(settings)) {
  std::filesystem::create_directories(settings_.directory);
  httpPort_ = FindFreeTcpPort();
  httpsPort_ = FindFreeTcpPort();
  // As scripts/run-server.sh renders it, but every port on 127.0.0.1.
  const std::vector<std::pair<std::string, std::string>> environment = {
      {"MIS_HTTP_LISTEN", "127.0.0.1:" + std::to_string(httpPort_)},
      {"MIS_HTTPS_LISTEN", "127.0.0.1:" + std::to_string(httpsPort_)},
      {"MIS_UPSTREAMS", "127.0.0.1:" + std::to_string(settings_.upstreamPort)},
      {"MIS_UI_DIR", settings_.uiDirectory.string()},
      {"MIS_ORTHANC_CONFIG", settings_.orthancConfiguration.string()},
      {"MIS_SECURITY_HEADERS", MIS_UI_SECURITY_HEADERS_FILE},
      {"MIS_TLS_CERT", ""},
      {"MIS_TLS_KEY", ""},
      {"MIS_FRONT_MAIN", "1"},
  };
  ChildProcess render({MIS_RENDER_FRONT_SCRIPT, settings_.directory.string()}, settings_.directory,
                      LogFile(), environment);
  const std::optional<ExitStatus> rendered = render.WaitForExit(kRenderTimeout);
  if (!rendered || !rendered->Success()) {
    throw std::runtime_error("scripts/render-front.sh " +
                             (rendered ? rendered->Describe() : std::string("did not finish")) +
                             ":\n" + Log());
  }
}

HttpFront::~HttpFront() { Stop(); }

void HttpFront::Start() {
  Stop();
  const std::string directory = settings_.directory.string();
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{MIS_NGINX_EXECUTABLE, "-e", "stderr", "-p", directory, "-c",
                               directory + "/nginx.conf"},
      settings_.directory, LogFile());
}

std::optional<ExitStatus> HttpFront::Stop(std::chrono::milliseconds grace) {
  if (!process_) return std::nullopt;
  const ExitStatus status = process_->Terminate(grace);
  process_.reset();
  return status;
}

bool HttpFront::IsRunning() { return process_ && !process_->Poll(); }

std::optional<ExitStatus> HttpFront::Exited() { return process_ ? process_->Poll() : std::nullopt; }

pid_t HttpFront::Pid() const { return process_ ? process_->Pid() : -1; }

std::vector<pid_t> HttpFront::Pids() const {
  std::vector<pid_t> pids;
  const pid_t master = Pid();
  if (master <= 0) return pids;
  pids.push_back(master);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (StatField(pid, 4) == std::to_string(master)) pids.push_back(pid);
  }
  return pids;
}

std::string HttpFront::Log() const { return ReadWholeFile(LogFile()); }

bool HttpFront::PortWasTaken() const { return Log().find(kPortTakenMessage) != std::string::npos; }

long ResidentKilobytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

}  // namespace mis::test
