#include "ChildProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace mis::test {
namespace {

ExitStatus FromWaitStatus(int status) {
  ExitStatus result;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

// NULL-terminated argv/envp arrays over strings that must outlive them.
std::vector<char*> CArray(std::vector<std::string>& strings) {
  std::vector<char*> array;
  for (std::string& text : strings) array.push_back(text.data());
  array.push_back(nullptr);
  return array;
}

void WriteAll(int fd, const std::string& text) {
  ssize_t ignored = write(fd, text.data(), text.size());
  (void)ignored;
}

}  // namespace

std::string ExitStatus::Describe() const {
  if (exited) return "exited with status " + std::to_string(code);
  return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

ChildProcess::ChildProcess(std::vector<std::string> arguments,
                           const std::filesystem::path& workingDirectory,
                           const std::filesystem::path& logFile,
                           const std::vector<std::pair<std::string, std::string>>& extraEnvironment) {
  if (arguments.empty()) throw std::invalid_argument("ChildProcess needs a program");

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls are allowed (the test process has threads).
  // The parent's environment, where an extra variable replaces the parent's
  // own of the same name (getenv would return the first one).
  std::vector<std::string> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string entry = *variable;
    const std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& extra : extraEnvironment) replaced = replaced || extra.first == name;
    if (!replaced) environment.push_back(entry);
  }
  for (const auto& [name, value] : extraEnvironment) environment.push_back(name + "=" + value);
  std::vector<char*> argv = CArray(arguments);
  std::vector<char*> envp = CArray(environment);
  const std::string directory = workingDirectory.string();
  const std::string execFailure = "cannot execute " + arguments[0] + "\n";

  const int logFd = open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (logFd < 0) {
    throw std::runtime_error("cannot open " + logFile.string() + ": " + std::strerror(errno));
  }
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    const std::string error = std::strerror(errno);
    close(logFd);
    throw std::runtime_error("fork: " + error);
  }
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    dup2(logFd, STDOUT_FILENO);
    dup2(logFd, STDERR_FILENO);
    const int devNull = open("/dev/null", O_RDONLY);
    if (devNull >= 0) dup2(devNull, STDIN_FILENO);
    if (chdir(directory.c_str()) != 0) _exit(127);
    execve(argv[0], argv.data(), envp.data());
    WriteAll(STDERR_FILENO, execFailure);
    _exit(127);
  }
  close(logFd);
}

ChildProcess::~ChildProcess() {
  if (!status_) Terminate(std::chrono::seconds(20));
}

std::optional<ExitStatus> ChildProcess::Poll() {
  if (status_) return status_;
  int status = 0;
  const pid_t result = waitpid(pid_, &status, WNOHANG);
  if (result == pid_) status_ = FromWaitStatus(status);
  return status_;
}

std::optional<ExitStatus> ChildProcess::WaitForExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Poll()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

ExitStatus ChildProcess::Terminate(std::chrono::milliseconds grace) {
  if (Poll()) return *status_;
  kill(pid_, SIGTERM);
  if (WaitForExit(grace)) return *status_;
  return Kill();
}

ExitStatus ChildProcess::Kill() {
  if (Poll()) return *status_;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  status_ = FromWaitStatus(status);
  return *status_;
}

}  // namespace mis::test
