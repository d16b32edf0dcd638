#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ChildProcess.h"

namespace mis::test {

// The HTTP front of a test server: nginx with the configuration of `make run`,
// rendered by scripts/render-front.sh from orthanc-config/front/ (the one
// source) and run as scripts/run-server.sh runs it, as the current user in the
// foreground, everything it writes in its own folder.
class HttpFront {
 public:
  struct Settings {
    std::filesystem::path directory;             // rendered configuration, logs, temporary files
    uint16_t upstreamPort = 0;                   // Orthanc's HTTP port on 127.0.0.1
    std::filesystem::path orthancConfiguration;  // its MaxUploadMegabytes is the front's limit
    std::filesystem::path uiDirectory;           // the web UI's files (an index.html at least)
  };

  // Renders the configuration on new free ports (127.0.0.1 only); throws with
  // render-front.sh's output when it refuses. Start() runs nginx.
  explicit HttpFront(Settings settings);
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Starts nginx on the rendered configuration (again after Stop()).
  void Start();
  // Ends nginx (SIGTERM, then SIGKILL after `grace`), idempotent.
  std::optional<ExitStatus> Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  bool IsRunning();
  // The exit status once nginx has ended by itself, without waiting.
  std::optional<ExitStatus> Exited();

  uint16_t HttpPort() const { return httpPort_; }
  uint16_t HttpsPort() const { return httpsPort_; }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(httpPort_); }
  // The master process; -1 when not running.
  pid_t Pid() const;
  // The master and its workers.
  std::vector<pid_t> Pids() const;
  const std::filesystem::path& Directory() const { return settings_.directory; }
  // nginx's stderr (its error log) and render-front.sh's output.
  std::filesystem::path LogFile() const { return settings_.directory / "front.log"; }
  std::string Log() const;
  // True when the log says nginx could not bind a port another process took.
  bool PortWasTaken() const;

 private:
  Settings settings_;
  uint16_t httpPort_ = 0;
  uint16_t httpsPort_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// The resident set size of a process in KiB, from /proc (0 if it is gone).
long ResidentKilobytes(pid_t pid);

}  // namespace mis::test
