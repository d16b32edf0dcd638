#include "SqliteDatabase.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "StorageUnavailable.h"

namespace mis {
namespace {

constexpr int kBusyTimeoutMilliseconds = 5000;

// Failures of the disk or of concurrency, not of the statement.
bool IsEnvironmentFailure(int code) {
  switch (code & 0xff) {  // the primary result code
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

[[noreturn]] void Fail(sqlite3* database, const std::string& what) {
  const std::string message =
      "SQLite: " + what + ": " + (database != nullptr ? sqlite3_errmsg(database) : "no database");
  if (database != nullptr && IsEnvironmentFailure(sqlite3_extended_errcode(database))) {
    throw StorageUnavailable(message);
  }
  throw std::runtime_error(message);
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* database, std::string_view sql) : database_(database) {
  if (sqlite3_prepare_v2(database, sql.data(), static_cast<int>(sql.size()), &statement_,
                         nullptr) != SQLITE_OK) {
    Fail(database, "cannot prepare a statement");
  }
}

SqliteStatement::SqliteStatement(sqlite3* database, sqlite3_stmt* cached)
    : database_(database), statement_(cached), cached_(true) {}

SqliteStatement::~SqliteStatement() {
  if (cached_) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  } else {
    sqlite3_finalize(statement_);
  }
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) Fail(database_, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view value) {
  if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    Fail(database_, "bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) Fail(database_, "bind");
  return *this;
}

bool SqliteStatement::Step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  Fail(database_, "step");
}

void SqliteStatement::Run() {
  while (Step()) {
  }
}

int64_t SqliteStatement::Integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string SqliteStatement::Text(int column) const {
  const auto* text = sqlite3_column_text(statement_, column);
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text),
                                       static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

void KeepDatabaseToItsOwner(const std::string& path) {
  namespace fs = std::filesystem;
  const auto fail = [&](const std::string& what) {
    throw std::runtime_error("SQLite: " + what + " (" + std::strerror(errno) + ")");
  };
  const fs::path file = fs::absolute(path);
  const fs::path folder = file.parent_path();
  struct stat status {};
  // Our own folder only: never a shared one such as /tmp (sticky, or
  // another user's), where the file's own 0600 is what protects it.
  if (::stat(folder.c_str(), &status) == 0 && (status.st_mode & 077) != 0 &&
      status.st_uid == ::geteuid() && (status.st_mode & S_ISVTX) == 0 &&
      ::chmod(folder.c_str(), status.st_mode & 0700) != 0) {
    fail("cannot make " + folder.string() + " private to its owner (mode 0700)");
  }
  // Created here, 0600 whatever the umask, so that SQLite never creates it:
  // it would with 0644, and its -wal and -shm files take the file's mode.
  const int created = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (created >= 0) {
    const bool restricted = ::fchmod(created, 0600) == 0;
    ::close(created);
    if (!restricted) fail("cannot make " + file.string() + " private to its owner (mode 0600)");
  } else if (errno != EEXIST) {
    fail("cannot create " + file.string());
  }
  for (const std::string suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string name = file.string() + suffix;
    if (::stat(name.c_str(), &status) != 0) continue;
    if ((status.st_mode & 077) != 0 && ::chmod(name.c_str(), 0600) != 0) {
      fail("cannot make " + name + " private to its owner (mode 0600)");
    }
  }
}

SqliteDatabase::SqliteDatabase(const std::string& path) {
  if (path != ":memory:") KeepDatabaseToItsOwner(path);
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &handle_, flags, nullptr) != SQLITE_OK) {
    const std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : "out of memory";
    sqlite3_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error("SQLite: cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(handle_, kBusyTimeoutMilliseconds);
  Execute("PRAGMA journal_mode=WAL");
  // In WAL mode NORMAL is durable against application crashes; only a power
  // loss may drop the last commits (sessions), never corrupt the file.
  Execute("PRAGMA synchronous=NORMAL");
  Execute("PRAGMA foreign_keys=ON");
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(handle_);
}

SqliteStatement SqliteDatabase::Prepare(std::string_view sql) {
  auto found = statements_.find(std::string(sql));
  if (found == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
      Fail(handle_, "cannot prepare a statement");
    }
    found = statements_.emplace(std::string(sql), statement).first;
  }
  return SqliteStatement(handle_, found->second);
}

void SqliteDatabase::Execute(std::string_view sql) {
  SqliteStatement statement(handle_, sql);
  statement.Run();
}

int64_t SqliteDatabase::QueryInteger(std::string_view sql) {
  SqliteStatement statement(handle_, sql);
  if (!statement.Step()) throw std::runtime_error("SQLite: no row for " + std::string(sql));
  return statement.Integer(0);
}

int64_t SqliteDatabase::Changes() const { return sqlite3_changes(handle_); }

int64_t SqliteDatabase::LastInsertId() const { return sqlite3_last_insert_rowid(handle_); }

SqliteTransaction::SqliteTransaction(SqliteDatabase& database) : database_(database) {
  database_.Execute("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) {
    try {
      database_.Execute("ROLLBACK");
    } catch (...) {
    }
  }
}

void SqliteTransaction::Commit() {
  database_.Execute("COMMIT");
  done_ = true;
}

}  // namespace mis
