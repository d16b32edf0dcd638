// What every UserStore backend must do, run against each: SQLite on a
// temporary file, PostgreSQL on a throw-away cluster. Users, sessions,
// tokens, audit, failed logins, schema versioning, and two store objects on
// one database (two servers) seeing each other's writes at once.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "PostgresServer.h"
#include "PostgresUserStore.h"
#include "SqliteDatabase.h"
#include "SqliteUserStore.h"
#include "TemporaryFile.h"
#include "UserStoreFactory.h"

namespace mis {
namespace {

// A database of one backend, and raw SQL on it from outside the store, as an
// administrator's SQL shell would run it.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  // What OpenUserStore (and so the configuration) takes.
  virtual std::string Location() const = 0;
  // "" when it succeeded, else the error.
  virtual std::string Execute(const std::string& sql) = 0;
  virtual int64_t QueryInteger(const std::string& sql) = 0;
  virtual void SetSchemaVersion(int version) = 0;
  virtual int64_t SchemaVersion() = 0;
  virtual int64_t CurrentSchemaVersion() const = 0;

  std::unique_ptr<UserStore> Open() const { return OpenUserStore(Location()); }
};

class SqliteBackend : public StoreBackend {
 public:
  std::string Location() const override { return path_; }
  std::string Execute(const std::string& sql) override {
    SqliteDatabase database(path_);
    try {
      database.Execute(sql);
      return "";
    } catch (const std::exception& error) {
      return error.what();
    }
  }
  int64_t QueryInteger(const std::string& sql) override {
    return SqliteDatabase(path_).QueryInteger(sql);
  }
  void SetSchemaVersion(int version) override {
    ASSERT_EQ(Execute("PRAGMA user_version = " + std::to_string(version)), "");
  }
  int64_t SchemaVersion() override { return QueryInteger("PRAGMA user_version"); }
  int64_t CurrentSchemaVersion() const override { return SqliteUserStore::kSchemaVersion; }

 private:
  test::TemporaryFolder folder_;
  std::string path_ = folder_.File("users.sqlite");
};

class PostgresBackend : public StoreBackend {
 public:
  std::string Location() const override { return server_.Uri(database_); }
  std::string Execute(const std::string& sql) override {
    return server_.Execute(database_, kSearchPath + sql);
  }
  int64_t QueryInteger(const std::string& sql) override {
    return std::stoll(server_.QueryText(database_, kSearchPath + sql));
  }
  void SetSchemaVersion(int version) override {
    ASSERT_EQ(Execute("UPDATE schema_version SET version = " + std::to_string(version)), "");
  }
  int64_t SchemaVersion() override { return QueryInteger("SELECT version FROM schema_version"); }
  int64_t CurrentSchemaVersion() const override { return PostgresUserStore::kSchemaVersion; }

 private:
  static constexpr const char* kSearchPath = "SET search_path TO medical_image_server; ";
  test::PostgresServer& server_ = test::SharedPostgresServer();
  std::string database_ = server_.CreateDatabase();  // a fresh one per test
};

struct Backend {
  const char* name;
  std::function<std::unique_ptr<StoreBackend>()> make;
};

class UserStoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    store_ = backend_->Open();
  }

  std::unique_ptr<StoreBackend> backend_;
  std::unique_ptr<UserStore> store_;
};

TEST_P(UserStoreContractTest, AddsFindsAndListsUsers) {
  UserStore& store = *store_;
  EXPECT_EQ(store.CountUsers(), 0);
  EXPECT_TRUE(store.AddUser("alice", "hash-a", "admin", 100));
  EXPECT_TRUE(store.AddUser("bob", "hash-b", "user", 100));
  EXPECT_TRUE(store.AddUser("Zoe", "hash-z", "user", 100));
  EXPECT_FALSE(store.AddUser("alice", "other", "user", 100));  // exists
  EXPECT_EQ(store.CountUsers(), 3);
  const auto alice = store.FindUser("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->passwordHash, "hash-a");
  EXPECT_EQ(alice->role, "admin");
  EXPECT_FALSE(store.FindUser("carol"));
  EXPECT_FALSE(store.FindUser("Alice"));  // names are case-sensitive
  const auto users = store.ListUsers();
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0].name, "Zoe");  // byte order, whatever the locale
  EXPECT_EQ(users[1].name, "alice");
  EXPECT_EQ(users[2].name, "bob");
  EXPECT_TRUE(store.SetPassword("alice", "hash-a2"));
  EXPECT_EQ(store.FindUser("alice")->passwordHash, "hash-a2");
  EXPECT_FALSE(store.SetPassword("nobody", "h"));
}

TEST_P(UserStoreContractTest, SqlMetacharactersAreDataNotSql) {
  UserStore& store = *store_;
  const std::string name = "x'); DROP TABLE users; --";
  EXPECT_TRUE(store.AddUser(name, "h", "user", 1));
  EXPECT_TRUE(store.FindUser(name));
  EXPECT_FALSE(store.FindUser("x"));
  EXPECT_FALSE(store.FindUser("%"));  // not a pattern either
  EXPECT_EQ(store.CountUsers(), 1);
  EXPECT_EQ(backend_->QueryInteger("SELECT COUNT(*) FROM users"), 1);
}

// Names from the network may be any bytes (HTTP Basic): looking them up,
// counting their failures and auditing them must not fail.
TEST_P(UserStoreContractTest, HostileBytesAreJustUnknownNames) {
  UserStore& store = *store_;
  store.AddUser("alice", "h", "user", 1);
  const std::string withNul("alice\0x", 7);
  const std::string notUtf8 = "al\xff\xfeice";
  const std::string huge(20000, 'n');
  for (const std::string& name : {withNul, notUtf8, huge}) {
    EXPECT_FALSE(store.FindUser(name));
    EXPECT_FALSE(store.FindSession(name));
    EXPECT_FALSE(store.FindApiToken(name));
    store.RecordLoginFailure(name, "10.0.0.1", 100);
    store.RecordLoginFailure(name, "10.0.0.1", 101);
    EXPECT_EQ(store.NthLatestLoginFailure(LoginFailureKey::kName, name, 0, 2), 100);
    store.AppendAudit(AuditEvent{0, 100, name, "10.0.0.1", "login_failed", "/api/auth/login", "",
                                 "invalid_credentials"});
  }
  EXPECT_FALSE(store.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1));
  EXPECT_EQ(store.CountAudit(), 3);
}

TEST_P(UserStoreContractTest, RoleMustBeKnown) {
  UserStore& store = *store_;
  store.AddUser("alice", "h", "user", 1);
  EXPECT_TRUE(store.SetRole("alice", "admin"));
  EXPECT_EQ(store.FindUser("alice")->role, "admin");
  EXPECT_THROW(store.SetRole("alice", "root"), std::runtime_error);
  EXPECT_FALSE(store.SetRole("nobody", "admin"));
}

TEST_P(UserStoreContractTest, SessionsLiveAndDie) {
  UserStore& store = *store_;
  store.AddUser("alice", "h", "user", 1);
  const int64_t id = store.FindUser("alice")->id;
  store.CreateSession("digest-1", id, 1000);
  auto session = store.FindSession("digest-1");
  ASSERT_TRUE(session);
  EXPECT_EQ(session->identity.name, "alice");
  EXPECT_EQ(session->identity.userId, id);
  EXPECT_EQ(session->lastSeen, 1000);
  store.TouchSession("digest-1", 1500);
  EXPECT_EQ(store.FindSession("digest-1")->lastSeen, 1500);
  store.DeleteSessionsIdleSince(1400);
  EXPECT_TRUE(store.FindSession("digest-1"));
  store.DeleteSessionsIdleSince(1600);
  EXPECT_FALSE(store.FindSession("digest-1"));
  store.CreateSession("digest-2", id, 2000);
  EXPECT_THROW(store.CreateSession("digest-2", id, 2001), std::runtime_error);  // unique
  EXPECT_TRUE(store.DeleteSession("digest-2"));
  EXPECT_FALSE(store.DeleteSession("digest-2"));
}

TEST_P(UserStoreContractTest, RemovingAUserEndsItsSessionsAndTokens) {
  UserStore& store = *store_;
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
  EXPECT_EQ(backend_->QueryInteger("SELECT COUNT(*) FROM api_tokens"), 0);
}

// Issue 16, item 8: the old cookie still worked after `users passwd`.
TEST_P(UserStoreContractTest, ANewPasswordOrALowerRoleEndsTheUsersSessions) {
  UserStore& store = *store_;
  store.AddUser("alice", "h", "admin", 1);
  store.AddUser("bob", "h", "user", 1);
  const int64_t alice = store.FindUser("alice")->id;
  store.CreateSession("alice-1", alice, 10);
  store.CreateApiToken("alice-token", alice, "ci", 10);
  store.CreateSession("bob-1", store.FindUser("bob")->id, 10);
  EXPECT_TRUE(store.SetPassword("alice", "h2"));
  EXPECT_FALSE(store.FindSession("alice-1"));
  EXPECT_TRUE(store.FindSession("bob-1")) << "another user's session ended";
  EXPECT_TRUE(store.FindApiToken("alice-token")) << "tokens are revoked only when asked";
  EXPECT_EQ(store.FindUser("alice")->passwordHash, "h2");
  // Granting the admin role, or keeping it, ends nothing; taking it does.
  store.CreateSession("alice-2", alice, 20);
  EXPECT_TRUE(store.SetRole("alice", "admin"));
  EXPECT_TRUE(store.FindSession("alice-2"));
  EXPECT_TRUE(store.SetRole("bob", "admin"));
  EXPECT_TRUE(store.FindSession("bob-1"));
  EXPECT_TRUE(store.SetRole("alice", "user"));
  EXPECT_FALSE(store.FindSession("alice-2"));
  EXPECT_EQ(store.FindUser("alice")->role, "user");
  // Unknown users change nothing.
  EXPECT_FALSE(store.SetPassword("nobody", "h"));
  EXPECT_FALSE(store.SetRole("nobody", "user"));
  // Tokens, on request.
  store.CreateApiToken("alice-token-2", alice, "ci", 30);
  EXPECT_EQ(store.RevokeApiTokensOf("alice"), 2);
  EXPECT_FALSE(store.FindApiToken("alice-token"));
  EXPECT_EQ(store.RevokeApiTokensOf("alice"), 0);
  EXPECT_EQ(store.RevokeApiTokensOf("nobody"), 0);
}

TEST_P(UserStoreContractTest, ApiTokensAreFoundByDigestAndRevoked) {
  UserStore& store = *store_;
  store.AddUser("alice", "h", "admin", 1);
  const int64_t id = store.CreateApiToken("digest", store.FindUser("alice")->id, "pacs", 5);
  const int64_t second = store.CreateApiToken("digest-2", store.FindUser("alice")->id, "", 6);
  EXPECT_GT(second, id);
  const auto identity = store.FindApiToken("digest");
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->name, "alice");
  EXPECT_TRUE(identity->IsAdmin());
  const auto tokens = store.ListApiTokens();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].id, id);
  EXPECT_EQ(tokens[0].userName, "alice");
  EXPECT_EQ(tokens[0].label, "pacs");
  EXPECT_EQ(tokens[0].createdAt, 5);
  EXPECT_TRUE(store.RevokeApiToken(id));
  EXPECT_FALSE(store.FindApiToken("digest"));
  EXPECT_FALSE(store.RevokeApiToken(id));
}

TEST_P(UserStoreContractTest, AuditIsAppendOnlyAndNewestFirst) {
  UserStore& store = *store_;
  for (int i = 0; i < 5; ++i) {
    store.AppendAudit(AuditEvent{0, 100 + i, "alice", "127.0.0.1", "read", "/api/x",
                                 "series-" + std::to_string(i), "ok"});
  }
  EXPECT_EQ(store.CountAudit(), 5);
  const auto page = store.ListAudit(1, 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].series, "series-3");
  EXPECT_EQ(page[0].time, 103);
  EXPECT_EQ(page[0].user, "alice");
  EXPECT_EQ(page[0].client, "127.0.0.1");
  EXPECT_EQ(page[0].action, "read");
  EXPECT_EQ(page[0].route, "/api/x");
  EXPECT_EQ(page[0].outcome, "ok");
  EXPECT_EQ(page[0].count, 1);
  EXPECT_EQ(page[0].lastTime, 103);
  EXPECT_EQ(page[1].series, "series-2");
  EXPECT_GT(page[0].id, page[1].id);
  // Even with direct SQL access, rows cannot be changed or removed.
  EXPECT_NE(backend_->Execute("UPDATE audit SET outcome = 'forged'"), "");
  EXPECT_NE(backend_->Execute("DELETE FROM audit"), "");
  EXPECT_EQ(backend_->QueryInteger("SELECT COUNT(*) FROM audit WHERE outcome = 'ok'"), 5);
}

// Issue 16, item 9: a flood of refusals from one client is one row a window.
TEST_P(UserStoreContractTest, RefusalsOfOneClientAndWindowAreCountedIntoOneRow) {
  UserStore& store = *store_;
  const auto refusal = [](const std::string& user, const std::string& client, int64_t time,
                          const std::string& outcome = "rate_limited") {
    return AuditEvent{0, time, user, client, "login_failed", "/api/auth/login", "", outcome};
  };
  store.AppendOrCountAudit(refusal("alice", "10.0.0.1", 100), 100 - 60);
  store.AppendOrCountAudit(refusal("alice", "10.0.0.1", 130), 130 - 60);
  store.AppendOrCountAudit(refusal("alice", "10.0.0.2", 131), 131 - 60);  // another client
  store.AppendOrCountAudit(refusal("alice", "10.0.0.1", 132, "other"), 132 - 60);
  auto events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].count, 2);
  EXPECT_EQ(events[2].time, 100);
  EXPECT_EQ(events[2].lastTime, 130);
  EXPECT_EQ(events[2].user, "alice");
  EXPECT_EQ(events[1].count, 1);
  EXPECT_EQ(events[1].client, "10.0.0.2");
  EXPECT_EQ(events[0].outcome, "other");

  store.AppendOrCountAudit(refusal("bob", "10.0.0.1", 150), 150 - 60);  // another name
  store.AppendOrCountAudit(refusal("alice", "10.0.0.1", 140), 140 - 60);  // a late clock
  events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].count, 4);
  EXPECT_EQ(events[2].user, kSeveralUserNames);
  EXPECT_EQ(events[2].lastTime, 150);  // last time never goes back

  // The window has passed since the row's first refusal: a new row.
  store.AppendOrCountAudit(refusal("alice", "10.0.0.1", 161), 161 - 60);
  events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].time, 161);
  EXPECT_EQ(events[0].count, 1);
  EXPECT_EQ(events[0].user, "alice");
}

// C-STOREs of one calling AE title and address: a row per series and window.
TEST_P(UserStoreContractTest, CountedRowsKeepSeriesApart) {
  UserStore& store = *store_;
  for (const char* series : {"s1", "s2", "s1", "s1"}) {
    store.AppendOrCountAudit(
        AuditEvent{0, 100, "LOCALSCU", "127.0.0.1", "dicom_store", "C-STORE", series, "stored"},
        40);
  }
  const auto events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].series, "s1");
  EXPECT_EQ(events[1].count, 3);
  EXPECT_EQ(events[0].series, "s2");
  EXPECT_EQ(events[0].count, 1);
}

// The facts of a counted row are as fixed as any other: only its count and
// last time may grow, and its user become "*".
TEST_P(UserStoreContractTest, ACountedRowsFactsCannotChange) {
  UserStore& store = *store_;
  store.AppendOrCountAudit(
      AuditEvent{0, 100, "alice", "10.0.0.1", "login_failed", "/api/auth/login", "", "x"}, 0);
  store.AppendOrCountAudit(
      AuditEvent{0, 101, "alice", "10.0.0.1", "login_failed", "/api/auth/login", "", "x"}, 0);
  for (const char* forged :
       {"time = 1", "client = 'c'", "action = 'login'", "route = '/'", "series = 's'",
        "outcome = 'ok'", "event_count = 1", "last_time = 100", "last_time = NULL",
        "id = 99"}) {
    EXPECT_NE(backend_->Execute(std::string("UPDATE audit SET ") + forged), "") << forged;
  }
  const std::string userColumn =
      backend_->Execute("SELECT user_name FROM audit").empty() ? "user_name" : "user";
  EXPECT_NE(backend_->Execute("UPDATE audit SET " + userColumn + " = 'bob'"), "");
  EXPECT_NE(backend_->Execute("DELETE FROM audit"), "");
  const auto events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].count, 2);
  EXPECT_EQ(events[0].lastTime, 101);
  EXPECT_EQ(events[0].outcome, "x");
}

TEST_P(UserStoreContractTest, LoginFailuresAreCountedPerNameAndClientAndForgotten) {
  UserStore& store = *store_;
  store.RecordLoginFailure("alice", "10.0.0.1", 100);
  store.RecordLoginFailure("alice", "10.0.0.2", 101);
  store.RecordLoginFailure("bob", "10.0.0.1", 102);
  store.RecordLoginFailure("alice", "10.0.0.1", 102);  // same second as bob's
  EXPECT_EQ(store.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1), 102);
  EXPECT_EQ(store.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 3), 100);
  EXPECT_FALSE(store.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 4));
  EXPECT_FALSE(store.NthLatestLoginFailure(LoginFailureKey::kName, "alice", 100, 3));  // after
  EXPECT_EQ(store.NthLatestLoginFailure(LoginFailureKey::kClient, "10.0.0.1", 0, 3), 100);
  EXPECT_EQ(store.NthLatestLoginFailure(LoginFailureKey::kClient, "10.0.0.2", 0, 1), 101);
  EXPECT_FALSE(store.NthLatestLoginFailure(LoginFailureKey::kClient, "alice", 0, 1));
  store.ForgetLoginFailuresUntil(101);
  EXPECT_EQ(backend_->QueryInteger("SELECT COUNT(*) FROM login_failures"), 2);
  EXPECT_FALSE(store.NthLatestLoginFailure(LoginFailureKey::kClient, "10.0.0.2", 0, 1));
}

TEST_P(UserStoreContractTest, SchemaIsVersionedAndDataSurvivesReopening) {
  store_->AddUser("alice", "h", "user", 1);
  store_.reset();
  EXPECT_EQ(backend_->SchemaVersion(), backend_->CurrentSchemaVersion());
  const auto reopened = backend_->Open();
  EXPECT_TRUE(reopened->FindUser("alice"));
  EXPECT_EQ(backend_->SchemaVersion(), backend_->CurrentSchemaVersion());
}

TEST_P(UserStoreContractTest, RefusesADatabaseFromANewerRelease) {
  store_.reset();
  backend_->SetSchemaVersion(99);
  EXPECT_THROW(backend_->Open(), std::runtime_error);
}

// Two store objects on one database stand for two servers: a session made on
// one is valid on the other, and a logout on one ends it on both at once.
TEST_P(UserStoreContractTest, TwoStoresOnOneDatabaseShareSessionsAtOnce) {
  const auto node1 = backend_->Open();
  const auto node2 = backend_->Open();
  node1->AddUser("alice", "h", "user", 1);
  const auto alice = node2->FindUser("alice");
  ASSERT_TRUE(alice);
  node1->CreateSession("session", alice->id, 1000);
  ASSERT_TRUE(node2->FindSession("session"));
  node2->TouchSession("session", 1100);
  EXPECT_EQ(node1->FindSession("session")->lastSeen, 1100);
  EXPECT_TRUE(node2->DeleteSession("session"));  // logout on node 2
  EXPECT_FALSE(node1->FindSession("session"));
  node1->RecordLoginFailure("alice", "c", 5);
  EXPECT_EQ(node2->NthLatestLoginFailure(LoginFailureKey::kName, "alice", 0, 1), 5);
}

TEST_P(UserStoreContractTest, OneStoreServesManyThreads) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string name = "user-" + std::to_string(t) + "-" + std::to_string(i);
        store_->AddUser(name, "h", "user", i);
        const auto user = store_->FindUser(name);
        if (user) store_->CreateSession(name, user->id, i);
        store_->RecordLoginFailure(name, "c", i);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store_->CountUsers(), 100);
  EXPECT_EQ(backend_->QueryInteger("SELECT COUNT(*) FROM sessions"), 100);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, UserStoreContractTest,
    ::testing::Values(Backend{"Sqlite", [] { return std::make_unique<SqliteBackend>(); }},
                      Backend{"Postgres", [] { return std::make_unique<PostgresBackend>(); }}),
    [](const ::testing::TestParamInfo<Backend>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace mis
