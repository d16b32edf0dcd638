#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace mis {

// Makes the users database at `path` readable by its owner only: the file
// (created here if absent) and its -wal, -shm and -journal files mode 0600,
// whatever the umask or their modes were, and its folder 0700 when it is
// ours (not a shared, sticky folder such as /tmp). It holds password hashes
// and token digests. Throws std::runtime_error when a mode cannot be set
// (the server then refuses to start).
void KeepDatabaseToItsOwner(const std::string& path);

// A prepared SQLite statement; values are only ever bound, never spliced
// into SQL text.
class SqliteStatement {
 public:
  // A statement of its own, finalized when destroyed.
  SqliteStatement(sqlite3* database, std::string_view sql);
  // A statement owned by the database's cache: only reset when destroyed.
  SqliteStatement(sqlite3* database, sqlite3_stmt* cached);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view value);
  SqliteStatement& BindNull(int index);

  // Advances to the next row; false when there is none.
  bool Step();
  // Runs a statement that returns no row.
  void Run();

  int64_t Integer(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* database_;
  sqlite3_stmt* statement_ = nullptr;
  bool cached_ = false;
};

// One SQLite connection. Not thread-safe by itself: the stores that own one
// serialise access with a mutex.
class SqliteDatabase {
 public:
  // Opens (creating when needed) the file, in WAL mode with a busy timeout so
  // that the users tool and the server can write the same file.
  explicit SqliteDatabase(const std::string& path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs fixed SQL without parameters (schema, pragmas, transactions).
  void Execute(std::string_view sql);
  // A prepared statement for `sql`, compiled once and reused (compiling costs
  // more than running the small queries of a login check). The caller must
  // serialise use of the database, as the stores do with their mutex.
  SqliteStatement Prepare(std::string_view sql);
  // The first column of the first row of fixed SQL (COUNT(*), a PRAGMA).
  int64_t QueryInteger(std::string_view sql);
  int64_t Changes() const;
  int64_t LastInsertId() const;
  sqlite3* Handle() { return handle_; }

 private:
  sqlite3* handle_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// Commits on Commit(), rolls back when destroyed before.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDatabase& database);
  ~SqliteTransaction();
  void Commit();

 private:
  SqliteDatabase& database_;
  bool done_ = false;
};

}  // namespace mis
