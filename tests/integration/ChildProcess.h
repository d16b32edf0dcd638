#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mis::test {

// How a process ended.
struct ExitStatus {
  bool exited = false;  // false: killed by a signal
  int code = 0;         // exit code when `exited`
  int signal = 0;       // signal number when not `exited`

  bool Success() const { return exited && code == 0; }
  std::string Describe() const;
};

// A program started with fork/exec, its stdout and stderr appended to a log
// file. It gets the parent's environment plus the extra variables, which
// replace the parent's of the same name. The destructor terminates it and waits until it has exited, so no
// process outlives its owner. The child also gets SIGTERM if the thread that
// started it dies (PR_SET_PDEATHSIG), e.g. when a test binary is killed by a
// timeout: start children from a thread that lives as long as they do.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> arguments, const std::filesystem::path& workingDirectory,
               const std::filesystem::path& logFile,
               const std::vector<std::pair<std::string, std::string>>& extraEnvironment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t Pid() const { return pid_; }

  // The exit status if the process has ended (it is reaped then), without waiting.
  std::optional<ExitStatus> Poll();

  // Waits up to `timeout` for the process to end.
  std::optional<ExitStatus> WaitForExit(std::chrono::milliseconds timeout);

  // SIGTERM, then SIGKILL if it has not ended after `grace`; returns once it has ended.
  ExitStatus Terminate(std::chrono::milliseconds grace);
  // SIGKILL at once, as a crash or a power cut would end it; returns once it has ended.
  ExitStatus Kill();

 private:
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace mis::test
