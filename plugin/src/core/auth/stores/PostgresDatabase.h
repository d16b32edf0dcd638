#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace mis {

// The rows of one answer from PostgreSQL, in text format.
class PostgresResult {
 public:
  explicit PostgresResult(pg_result* result) : result_(result) {}
  ~PostgresResult();
  PostgresResult(PostgresResult&& other) noexcept : result_(other.result_) {
    other.result_ = nullptr;
  }
  PostgresResult(const PostgresResult&) = delete;
  PostgresResult& operator=(const PostgresResult&) = delete;
  PostgresResult& operator=(PostgresResult&&) = delete;

  int Rows() const;
  int64_t Integer(int row, int column) const;
  std::string Text(int row, int column) const;
  // Rows changed by INSERT, UPDATE or DELETE.
  int64_t AffectedRows() const;

 private:
  pg_result* result_;
};

// One libpq connection with its prepared statements. Values are only ever
// passed as parameters of prepared statements, never spliced into SQL text.
// Not thread-safe by itself: the store that owns one serialises access.
class PostgresConnection {
 public:
  // Whether a failed call may run again on a new connection: only for
  // statements that give the same answer when they ran twice.
  enum class Retry { kNo, kOnce };

  // `conninfo`: a libpq connection string or a postgresql:// URI. `setup`:
  // fixed SQL run on every new connection (search_path). Throws
  // StorageUnavailable when the server cannot be reached.
  PostgresConnection(const std::string& conninfo, std::string setup);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Runs fixed SQL without parameters (schema, transactions).
  void Execute(std::string_view sql);
  // Runs `sql` as a prepared statement (prepared once per connection).
  PostgresResult Run(const std::string& sql, std::initializer_list<std::string_view> parameters,
                     Retry retry = Retry::kNo);

 private:
  void EnsureConnected();
  void Setup();
  PostgresResult Check(pg_result* result, const std::string& what);
  const std::string& Prepared(const std::string& sql);

  pg_conn* connection_ = nullptr;
  std::string setup_;
  std::unordered_map<std::string, std::string> statements_;  // SQL -> statement name
};

// Commits on Commit(), rolls back when destroyed before.
class PostgresTransaction {
 public:
  explicit PostgresTransaction(PostgresConnection& connection);
  ~PostgresTransaction();
  void Commit();

 private:
  PostgresConnection& connection_;
  bool done_ = false;
};

// A connection string or URI for log lines, rebuilt from its user, host, port
// and database: never its password.
std::string DescribePostgresConnection(const std::string& conninfo);

}  // namespace mis
