#include "PostgresDatabase.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <stdexcept>

#include "StorageUnavailable.h"

namespace mis {
namespace {

// Without it a server that does not answer keeps a login waiting for the
// kernel's TCP timeout; a connect_timeout in the URI still wins.
constexpr const char* kDefaultConnectTimeoutSeconds = "10";

// SQLSTATE classes of the environment's failures, not of the statement:
// 08 connection, 40 transaction rollback (deadlock, serialization), 53
// insufficient resources (disk full, out of memory), 57 operator intervention
// (shutdown), 58 system error (I/O); 55P03: a lock not available in time.
bool IsEnvironmentFailure(const std::string& state) {
  if (state.size() != 5) return true;  // no SQLSTATE: libpq's own failure
  const std::string kind = state.substr(0, 2);
  return kind == "08" || kind == "40" || kind == "53" || kind == "57" || kind == "58" ||
         state == "55P03";
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

PostgresResult::~PostgresResult() { PQclear(result_); }

int PostgresResult::Rows() const { return PQntuples(result_); }

int64_t PostgresResult::Integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_, row, column), nullptr, 10);
}

std::string PostgresResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

int64_t PostgresResult::AffectedRows() const {
  const char* count = PQcmdTuples(result_);
  return *count == '\0' ? 0 : std::strtoll(count, nullptr, 10);
}

PostgresConnection::PostgresConnection(const std::string& conninfo, std::string setup)
    : setup_(std::move(setup)) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    // libpq's message names the syntax error, not the password.
    const std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    throw std::invalid_argument("PostgreSQL: unusable connection string: " + message);
  }
  PQconninfoFree(options);
  // Keywords later in the list win: the URI (expanded from dbname) may set
  // its own connect_timeout.
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {kDefaultConnectTimeoutSeconds, conninfo.c_str(), nullptr};
  connection_ = PQconnectdbParams(keywords, values, 1);
  if (connection_ == nullptr) throw StorageUnavailable("PostgreSQL: out of memory");
  PQsetNoticeProcessor(connection_, IgnoreNotice, nullptr);
  if (PQstatus(connection_) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(connection_);
    PQfinish(connection_);
    connection_ = nullptr;
    throw StorageUnavailable("PostgreSQL: cannot connect to " +
                             DescribePostgresConnection(conninfo) + ": " + message);
  }
  Setup();
}

PostgresConnection::~PostgresConnection() { PQfinish(connection_); }

void PostgresConnection::Setup() {
  statements_.clear();  // prepared statements belong to the old session
  if (!setup_.empty()) Check(PQexec(connection_, setup_.c_str()), "setup");
}

void PostgresConnection::EnsureConnected() {
  // A server that restarted has closed the socket: reading what is pending
  // notices it before a statement is sent into the void.
  if (PQstatus(connection_) == CONNECTION_OK &&
      PQtransactionStatus(connection_) == PQTRANS_IDLE) {
    PQconsumeInput(connection_);
  }
  if (PQstatus(connection_) == CONNECTION_OK) return;
  PQreset(connection_);
  if (PQstatus(connection_) != CONNECTION_OK) {
    throw StorageUnavailable(std::string("PostgreSQL: connection lost, cannot reconnect: ") +
                             PQerrorMessage(connection_));
  }
  Setup();
}

PostgresResult PostgresConnection::Check(pg_result* result, const std::string& what) {
  if (result == nullptr) {
    throw StorageUnavailable("PostgreSQL: " + what + ": " + PQerrorMessage(connection_));
  }
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PostgresResult(result);
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string sqlState = state != nullptr ? state : "";
  const std::string message = "PostgreSQL: " + what + ": " + PQresultErrorMessage(result);
  PQclear(result);
  if (PQstatus(connection_) != CONNECTION_OK || IsEnvironmentFailure(sqlState)) {
    throw StorageUnavailable(message);
  }
  throw std::runtime_error(message);
}

void PostgresConnection::Execute(std::string_view sql) {
  EnsureConnected();
  Check(PQexec(connection_, std::string(sql).c_str()), "execute");
}

const std::string& PostgresConnection::Prepared(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return found->second;
  const std::string name = "mis_" + std::to_string(statements_.size() + 1);
  Check(PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr), "prepare");
  return statements_.emplace(sql, name).first->second;
}

PostgresResult PostgresConnection::Run(const std::string& sql,
                                       std::initializer_list<std::string_view> parameters,
                                       Retry retry) {
  std::vector<std::string> texts;
  texts.reserve(parameters.size());
  for (std::string_view parameter : parameters) {
    // Text parameters end at a NUL: refuse rather than cut a value short.
    if (parameter.find('\0') != std::string_view::npos) {
      throw std::invalid_argument("PostgreSQL: a text value contains a NUL byte");
    }
    texts.emplace_back(parameter);
  }
  std::vector<const char*> values;
  for (const std::string& text : texts) values.push_back(text.c_str());
  for (int attempt = 0;; ++attempt) {
    EnsureConnected();
    pg_result* result = nullptr;
    try {
      const std::string& name = Prepared(sql);
      result = PQexecPrepared(connection_, name.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0);
    } catch (const StorageUnavailable&) {
      // Preparing never changes data: always worth one more connection.
      if (attempt == 0 && PQstatus(connection_) != CONNECTION_OK) continue;
      throw;
    }
    if (retry == Retry::kOnce && attempt == 0 && PQstatus(connection_) != CONNECTION_OK) {
      PQclear(result);
      continue;
    }
    return Check(result, "statement");
  }
}

PostgresTransaction::PostgresTransaction(PostgresConnection& connection)
    : connection_(connection) {
  connection_.Execute("BEGIN");
}

PostgresTransaction::~PostgresTransaction() {
  if (!done_) {
    try {
      connection_.Execute("ROLLBACK");
    } catch (...) {
    }
  }
}

void PostgresTransaction::Commit() {
  connection_.Execute("COMMIT");
  done_ = true;
}

std::string DescribePostgresConnection(const std::string& conninfo) {
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
  if (options == nullptr) return "PostgreSQL (unusable connection string)";
  std::string user, host, port, database;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string keyword = option->keyword;
    if (keyword == "user") user = option->val;
    if (keyword == "host") host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") database = option->val;
  }
  PQconninfoFree(options);
  // Rebuilt from the parts that are not secret: never the password.
  return "PostgreSQL " + (user.empty() ? "" : user + "@") + (host.empty() ? "(default host)" : host) +
         (port.empty() ? "" : ":" + port) + "/" + database;
}

}  // namespace mis
