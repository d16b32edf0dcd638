#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace mis::test {

// A throw-away PostgreSQL cluster for tests: Debian's initdb and postgres
// (MIS_POSTGRES_BIN_DIR), a fresh data folder under the temp directory, the
// superuser "postgres" with trust authentication, a Unix socket in the same
// folder and, when asked, 127.0.0.1 on a free port. PostgreSQL refuses to run
// as root, so as root the cluster runs as "nobody". Stopped and removed when
// the object is destroyed; if the test program dies, the server gets SIGQUIT.
// The cluster is copied from a template made once per build (initdb costs
// seconds, a copy a fraction of one), so each test program may start its own.
class PostgresServer {
 public:
  struct Options {
    bool listenOnTcp = false;  // also 127.0.0.1:Port(), e.g. for servers in containers
  };

  PostgresServer() : PostgresServer(Options{}) {}
  explicit PostgresServer(const Options& options);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Stops the server (fast shutdown), keeping its data; Start() brings it
  // back on the same port and socket.
  void Stop();
  void Start();
  bool Running() const { return pid_ > 0; }

  uint16_t Port() const { return port_; }
  const std::filesystem::path& SocketDirectory() const { return socketDirectory_; }
  // postgresql:// URI of `database` as the superuser, over the Unix socket.
  std::string Uri(const std::string& database) const;
  // The same over TCP (Options::listenOnTcp).
  std::string TcpUri(const std::string& database) const;

  // A new empty database with a name unique in this cluster.
  std::string CreateDatabase();
  // Runs SQL (one or more statements) in `database` as the superuser:
  // "" when it succeeded, else PostgreSQL's error message.
  std::string Execute(const std::string& database, const std::string& sql) const;
  // The first column of the first row; throws std::runtime_error on failure.
  std::string QueryText(const std::string& database, const std::string& sql) const;

 private:
  Options options_;
  std::filesystem::path root_;
  std::filesystem::path dataDirectory_;
  std::filesystem::path socketDirectory_;
  std::filesystem::path logFile_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
  int databases_ = 0;
};

// One server for the whole test program, started on first use and stopped
// when the program exits.
PostgresServer& SharedPostgresServer();

}  // namespace mis::test
