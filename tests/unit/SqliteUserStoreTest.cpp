// The SQLite user store: users, sessions, tokens, audit, schema versioning.
#include <gtest/gtest.h>
#include <sqlite3.h>

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

TEST_F(SqliteUserStoreTest, AddsFindsAndListsUsers) {
  SqliteUserStore store(path_);
  EXPECT_EQ(store.CountUsers(), 0);
  EXPECT_TRUE(store.AddUser("alice", "hash-a", "admin", 100));
  EXPECT_TRUE(store.AddUser("bob", "hash-b", "user", 100));
  EXPECT_FALSE(store.AddUser("alice", "other", "user", 100));  // exists
  EXPECT_EQ(store.CountUsers(), 2);
  const auto alice = store.FindUser("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->passwordHash, "hash-a");
  EXPECT_EQ(alice->role, "admin");
  EXPECT_FALSE(store.FindUser("carol"));
  const auto users = store.ListUsers();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "alice");
  EXPECT_EQ(users[1].name, "bob");
}

TEST_F(SqliteUserStoreTest, SqlMetacharactersAreDataNotSql) {
  SqliteUserStore store(path_);
  const std::string name = "x'); DROP TABLE users; --";
  EXPECT_TRUE(store.AddUser(name, "h", "user", 1));
  EXPECT_TRUE(store.FindUser(name));
  EXPECT_FALSE(store.FindUser("x"));
  EXPECT_EQ(store.CountUsers(), 1);
  EXPECT_EQ(QueryInteger(path_, "SELECT COUNT(*) FROM users"), 1);
}

TEST_F(SqliteUserStoreTest, RoleMustBeKnown) {
  SqliteUserStore store(path_);
  store.AddUser("alice", "h", "user", 1);
  EXPECT_TRUE(store.SetRole("alice", "admin"));
  EXPECT_EQ(store.FindUser("alice")->role, "admin");
  EXPECT_THROW(store.SetRole("alice", "root"), std::runtime_error);
  EXPECT_FALSE(store.SetRole("nobody", "admin"));
}

TEST_F(SqliteUserStoreTest, SessionsLiveAndDie) {
  SqliteUserStore store(path_);
  store.AddUser("alice", "h", "user", 1);
  const int64_t id = store.FindUser("alice")->id;
  store.CreateSession("digest-1", id, 1000);
  auto session = store.FindSession("digest-1");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->identity.name, "alice");
  EXPECT_EQ(session->lastSeen, 1000);
  store.TouchSession("digest-1", 1500);
  EXPECT_EQ(store.FindSession("digest-1")->lastSeen, 1500);
  store.DeleteSessionsIdleSince(1400);
  EXPECT_TRUE(store.FindSession("digest-1"));
  store.DeleteSessionsIdleSince(1600);
  EXPECT_FALSE(store.FindSession("digest-1"));
  store.CreateSession("digest-2", id, 2000);
  EXPECT_TRUE(store.DeleteSession("digest-2"));
  EXPECT_FALSE(store.DeleteSession("digest-2"));
}

TEST_F(SqliteUserStoreTest, RemovingAUserEndsItsSessionsAndTokens) {
  SqliteUserStore store(path_);
  store.AddUser("alice", "h", "user", 1);
  store.AddUser("bob", "h", "user", 1);
  store.CreateSession("alice-session", store.FindUser("alice")->id, 10);
  store.CreateApiToken("alice-token", store.FindUser("alice")->id, "ci", 10);
  store.CreateSession("bob-session", store.FindUser("bob")->id, 10);
  EXPECT_TRUE(store.RemoveUser("alice"));
  EXPECT_FALSE(store.FindSession("alice-session"));
  EXPECT_FALSE(store.FindApiToken("alice-token"));
  EXPECT_TRUE(store.FindSession("bob-session"));
  EXPECT_FALSE(store.RemoveUser("alice"));
}

TEST_F(SqliteUserStoreTest, ApiTokensAreFoundByDigestAndRevoked) {
  SqliteUserStore store(path_);
  store.AddUser("alice", "h", "admin", 1);
  const int64_t id = store.CreateApiToken("digest", store.FindUser("alice")->id, "pacs", 5);
  const auto identity = store.FindApiToken("digest");
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->name, "alice");
  EXPECT_TRUE(identity->IsAdmin());
  const auto tokens = store.ListApiTokens();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].label, "pacs");
  EXPECT_TRUE(store.RevokeApiToken(id));
  EXPECT_FALSE(store.FindApiToken("digest"));
  EXPECT_FALSE(store.RevokeApiToken(id));
}

TEST_F(SqliteUserStoreTest, AuditIsAppendOnlyAndNewestFirst) {
  SqliteUserStore store(path_);
  for (int i = 0; i < 5; ++i) {
    store.AppendAudit(AuditEvent{0, 100 + i, "alice", "127.0.0.1", "read", "/api/x",
                                 "series-" + std::to_string(i), "ok"});
  }
  EXPECT_EQ(store.CountAudit(), 5);
  const auto page = store.ListAudit(1, 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].series, "series-3");
  EXPECT_EQ(page[1].series, "series-2");
  // Even with direct SQL access, rows cannot be changed or removed.
  EXPECT_NE(Execute(path_, "UPDATE audit SET user = 'mallory'"), SQLITE_OK);
  EXPECT_NE(Execute(path_, "DELETE FROM audit"), SQLITE_OK);
  EXPECT_EQ(QueryInteger(path_, "SELECT COUNT(*) FROM audit WHERE user = 'alice'"), 5);
}

TEST_F(SqliteUserStoreTest, SchemaIsVersionedAndDataSurvivesReopening) {
  {
    SqliteUserStore store(path_);
    store.AddUser("alice", "h", "user", 1);
  }
  EXPECT_EQ(QueryInteger(path_, "PRAGMA user_version"), SqliteUserStore::kSchemaVersion);
  EXPECT_EQ(QueryText(path_, "PRAGMA journal_mode"), "wal");  // persistent once set
  SqliteUserStore reopened(path_);
  EXPECT_TRUE(reopened.FindUser("alice"));
}

TEST_F(SqliteUserStoreTest, RefusesADatabaseFromANewerRelease) {
  { SqliteUserStore store(path_); }
  ASSERT_EQ(Execute(path_, "PRAGMA user_version = 99"), SQLITE_OK);
  EXPECT_THROW(SqliteUserStore store(path_), std::runtime_error);
}

// Version 1 kept failed logins in memory; opening such a file adds their table
// and keeps everything else.
TEST_F(SqliteUserStoreTest, MigratesAVersion1File) {
  {
    SqliteUserStore store(path_);
    store.AddUser("alice", "h", "user", 1);
  }
  ASSERT_EQ(Execute(path_, "DROP TABLE login_failures; PRAGMA user_version = 1"), SQLITE_OK);
  SqliteUserStore reopened(path_);
  EXPECT_TRUE(reopened.FindUser("alice"));
  reopened.RecordLoginFailure("alice", "c", 10);
  EXPECT_EQ(reopened.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1), 10);
  EXPECT_EQ(QueryInteger(path_, "PRAGMA user_version"), 2);
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
