#include "PostgresServer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mis::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(30);

// Who runs initdb and postgres: ourselves, or "nobody" when we are root.
struct Runner {
  bool switchUser = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Runner FindRunner() {
  Runner runner;
  runner.uid = geteuid();
  runner.gid = getegid();
  if (runner.uid != 0) return runner;
  const passwd* nobody = getpwnam("nobody");
  if (nobody == nullptr) throw std::runtime_error("PostgreSQL cannot run as root and there is no user nobody");
  runner.switchUser = true;
  runner.uid = nobody->pw_uid;
  runner.gid = nobody->pw_gid;
  return runner;
}

void GiveTo(const fs::path& path, const Runner& runner) {
  if (!runner.switchUser) return;
  if (lchown(path.c_str(), runner.uid, runner.gid) != 0) {
    throw std::runtime_error("cannot chown " + path.string());
  }
}

void GiveTreeTo(const fs::path& root, const Runner& runner) {
  GiveTo(root, runner);
  for (const auto& entry : fs::recursive_directory_iterator(root)) GiveTo(entry.path(), runner);
}

uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string Tail(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
}

// Starts `arguments` as the runner with its output appended to `log`. The
// child gets `deathSignal` when the thread that started it dies.
pid_t Spawn(const std::vector<std::string>& arguments, const fs::path& log, const Runner& runner,
            int deathSignal) {
  const int logFd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (logFd < 0) throw std::runtime_error("cannot open " + log.string());
  std::vector<char*> argv;
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(logFd);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    if (runner.switchUser &&
        (setgroups(0, nullptr) != 0 || setgid(runner.gid) != 0 || setuid(runner.uid) != 0)) {
      _exit(126);
    }
    // After setuid: a change of credentials clears the death signal.
    prctl(PR_SET_PDEATHSIG, deathSignal);
    if (getppid() != parent) _exit(1);
    dup2(logFd, STDOUT_FILENO);
    dup2(logFd, STDERR_FILENO);
    const int devNull = open("/dev/null", O_RDONLY);
    if (devNull >= 0) dup2(devNull, STDIN_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(logFd);
  return pid;
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// initdb once per build into MIS_POSTGRES_TEMPLATE_DIR, under a lock: test
// programs run in parallel. 1 MiB WAL segments instead of 16: less to copy.
fs::path Template(const fs::path& scratch, const Runner& runner) {
  const fs::path target = MIS_POSTGRES_TEMPLATE_DIR;
  fs::create_directories(target.parent_path());
  const std::string lockPath = target.string() + ".lock";
  const int lock = open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lockPath);
  struct Unlock {
    int fd;
    ~Unlock() { close(fd); }
  } unlock{lock};
  if (fs::exists(target / "PG_VERSION")) return target;
  const fs::path initdb = fs::path(MIS_POSTGRES_BIN_DIR) / "initdb";
  if (!fs::exists(initdb)) {
    throw std::runtime_error(initdb.string() + " is missing: install Debian's postgresql (make deps)");
  }
  const fs::path fresh = scratch / "initdb";
  fs::create_directories(fresh);
  GiveTo(fresh, runner);
  const fs::path log = scratch / "initdb.log";
  const int status = WaitFor(Spawn({initdb.string(), "-D", (fresh / "data").string(), "-A", "trust",
                                    "-U", "postgres", "-E", "UTF8", "--locale=C", "-N", "--wal-segsize=1",
                                    "--no-instructions"},
                                   log, runner, SIGKILL));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("initdb failed:\n" + Tail(log));
  }
  const fs::path partial = target.string() + ".new";
  fs::remove_all(partial);
  fs::copy(fresh / "data", partial, fs::copy_options::recursive);
  fs::remove_all(target);
  fs::rename(partial, target);
  fs::remove_all(fresh);
  return target;
}

PGconn* Connect(const std::string& uri) {
  PGconn* connection = PQconnectdb(uri.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + message);
  }
  return connection;
}

}  // namespace

PostgresServer::PostgresServer(const Options& options) : options_(options) {
  const Runner runner = FindRunner();
  std::string pattern = (fs::temp_directory_path() / "mis-postgres-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
  try {
    GiveTo(root_, runner);
    if (runner.switchUser && access(root_.parent_path().c_str(), X_OK) != 0) {
      throw std::runtime_error("nobody cannot reach " + root_.string());
    }
    dataDirectory_ = root_ / "data";
    socketDirectory_ = root_ / "socket";
    logFile_ = root_ / "postgres.log";
    fs::create_directories(socketDirectory_);
    GiveTo(socketDirectory_, runner);
    fs::copy(Template(root_, runner), dataDirectory_, fs::copy_options::recursive);
    fs::permissions(dataDirectory_, fs::perms::owner_all, fs::perm_options::replace);
    GiveTreeTo(dataDirectory_, runner);
    port_ = FreePort();
    Start();
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
    throw;
  }
}

PostgresServer::~PostgresServer() {
  try {
    Stop();
  } catch (...) {
  }
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

void PostgresServer::Start() {
  if (Running()) return;
  const Runner runner = FindRunner();
  const fs::path postgres = fs::path(MIS_POSTGRES_BIN_DIR) / "postgres";
  // Durability is not what these clusters are for: no fsync, small memory.
  pid_ = Spawn({postgres.string(), "-D", dataDirectory_.string(), "-p", std::to_string(port_),
                "-k", socketDirectory_.string(), "-c",
                std::string("listen_addresses=") + (options_.listenOnTcp ? "127.0.0.1" : ""),
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "shared_buffers=16MB", "-c", "max_connections=60"},
               logFile_, runner, SIGQUIT);
  const auto deadline = Clock::now() + kStartTimeout;
  while (PQping(Uri("postgres").c_str()) != PQPING_OK) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the test PostgreSQL exited:\n" + Tail(logFile_));
    }
    if (Clock::now() > deadline) {
      Stop();
      throw std::runtime_error("the test PostgreSQL did not start:\n" + Tail(logFile_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void PostgresServer::Stop() {
  if (!Running()) return;
  kill(pid_, SIGINT);  // fast shutdown: disconnects clients, then exits
  const auto deadline = Clock::now() + kStopTimeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid_, SIGKILL);
      WaitFor(pid_);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

std::string PostgresServer::Uri(const std::string& database) const {
  return "postgresql://postgres@/" + database + "?host=" + socketDirectory_.string() +
         "&port=" + std::to_string(port_);
}

std::string PostgresServer::TcpUri(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::CreateDatabase() {
  const std::string name = "test_" + std::to_string(++databases_);
  const std::string error = Execute("postgres", "CREATE DATABASE " + name);
  if (!error.empty()) throw std::runtime_error("cannot create a test database: " + error);
  return name;
}

std::string PostgresServer::Execute(const std::string& database, const std::string& sql) const {
  PGconn* connection = Connect(Uri(database));
  PGresult* result = PQexec(connection, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  std::string error;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    error = PQresultErrorMessage(result);
    if (error.empty()) error = "failed";
  }
  PQclear(result);
  PQfinish(connection);
  return error;
}

std::string PostgresServer::QueryText(const std::string& database, const std::string& sql) const {
  PGconn* connection = Connect(Uri(database));
  PGresult* result = PQexec(connection, sql.c_str());
  std::string value;
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0;
  const std::string error = ok ? "" : PQresultErrorMessage(result);
  if (ok) value = PQgetvalue(result, 0, 0);
  PQclear(result);
  PQfinish(connection);
  if (!ok) throw std::runtime_error("query failed: " + sql + ": " + error);
  return value;
}

PostgresServer& SharedPostgresServer() {
  static std::unique_ptr<PostgresServer> server;
  if (!server) server = std::make_unique<PostgresServer>();
  return *server;
}

}  // namespace mis::test
