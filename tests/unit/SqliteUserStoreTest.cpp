// What is SQLite's own in the user store: WAL mode, the migration of older
// files, a full disk. What every backend does is in UserStoreContractTest.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "SqliteDatabase.h"
#include "SqliteUserStore.h"
#include "StorageUnavailable.h"
#include "TemporaryFile.h"

namespace mis {
namespace {

// Raw SQL from outside the store, as an administrator's sqlite3 shell would.
int64_t QueryInteger(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  const int64_t value = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

std::string QueryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

int Execute(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int result = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return result;
}

class SqliteUserStoreTest : public ::testing::Test {
 protected:
  test::TemporaryFolder folder_;
  std::string path_ = folder_.File("users.sqlite");
};

TEST_F(SqliteUserStoreTest, FileIsInWalMode) {
  { SqliteUserStore store(path_); }
  EXPECT_EQ(QueryText(path_, "PRAGMA journal_mode"), "wal");  // persistent once set
}

// Version 1 kept failed logins in memory; opening such a file adds their table
// and keeps everything else.
// Issue 16, item 10: the file was 0644 in a 0755 folder, password hashes and
// token digests readable by every local account.
mode_t ModeOf(const std::string& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 07777;
}

TEST_F(SqliteUserStoreTest, FileAndFolderAreTheOwnersOnly) {
  const std::string folder = std::filesystem::path(path_).parent_path();
  ASSERT_EQ(::chmod(folder.c_str(), 0755), 0);
  const mode_t previous = ::umask(022);  // Orthanc's service and containers run with this
  {
    SqliteUserStore store(path_);
    store.AddUser("carol", "hash", "user", 0);
  }
  ::umask(previous);
  EXPECT_EQ(ModeOf(path_), 0600u);
  EXPECT_EQ(ModeOf(folder), 0700u);
  for (const char* suffix : {"-wal", "-shm"}) {
    if (std::filesystem::exists(path_ + suffix)) EXPECT_EQ(ModeOf(path_ + suffix), 0600u) << suffix;
  }
  // A file an earlier version left readable is tightened at the next start.
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(folder.c_str(), 0755), 0);
  { SqliteUserStore store(path_); }
  EXPECT_EQ(ModeOf(path_), 0600u);
  EXPECT_EQ(ModeOf(folder), 0700u);
}

// A file as release 1 made it: today's file taken back to version 1's schema,
// with an audit row of its own.
TEST_F(SqliteUserStoreTest, MigratesAVersion1File) {
  {
    SqliteUserStore store(path_);
    store.AddUser("alice", "h", "user", 1);
  }
  ASSERT_EQ(Execute(path_,
                    "DROP TABLE login_failures;"
                    "DROP TRIGGER audit_only_counts_grow;"
                    "DROP INDEX audit_by_client;"
                    "ALTER TABLE audit DROP COLUMN last_time;"
                    "ALTER TABLE audit DROP COLUMN event_count;"
                    "CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit "
                    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
                    "INSERT INTO audit(time, user, client, action, route, series, outcome) "
                    "VALUES (5, 'alice', 'c', 'login', '/api/auth/login', '', 'ok');"
                    "PRAGMA user_version = 1"),
            SQLITE_OK);
  SqliteUserStore reopened(path_);
  EXPECT_TRUE(reopened.FindUser("alice"));
  reopened.RecordLoginFailure("alice", "c", 10);
  EXPECT_EQ(reopened.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1), 10);
  const auto events = reopened.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].count, 1);
  EXPECT_EQ(events[0].lastTime, 5);
  reopened.AppendOrCountAudit(AuditEvent{0, 6, "alice", "c", "login", "/api/auth/login", "", "ok"},
                              0);
  EXPECT_EQ(reopened.ListAudit(0, 10)[0].count, 2);
  EXPECT_EQ(QueryInteger(path_, "PRAGMA user_version"), SqliteUserStore::kSchemaVersion);
}

// A full disk is the environment's failure, not a bug: the store says so with
// its own exception type, which routes turn into 503. SQLite's page limit
// gives the same SQLITE_FULL as a full disk.
TEST(SqliteDatabaseTest, FullDatabaseThrowsStorageUnavailable) {
  test::TemporaryFolder folder;
  SqliteDatabase database(folder.File("full.sqlite"));
  database.Execute("CREATE TABLE t (value BLOB)");
  database.Execute("PRAGMA max_page_count = 16");
  EXPECT_THROW(
      {
        for (int i = 0; i < 100; ++i) {
          database.Execute("INSERT INTO t VALUES (zeroblob(4096))");
        }
      },
      StorageUnavailable);
  // A wrong statement is still a plain error.
  try {
    database.Execute("INSERT INTO no_such_table VALUES (1)");
    ADD_FAILURE() << "no exception";
  } catch (const StorageUnavailable&) {
    ADD_FAILURE() << "a bad statement is not the disk's fault";
  } catch (const std::runtime_error&) {
  }
}

}  // namespace
}  // namespace mis
