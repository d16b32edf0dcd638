// What is PostgreSQL's own in the user store: the URI choosing the backend,
// no password in messages, the schema of its own, several servers (store and
// authenticator objects) on one database, a server that goes away and comes
// back. What every backend does is in UserStoreContractTest.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "Authenticator.h"
#include "PostgresServer.h"
#include "PostgresUserStore.h"
#include "Secrets.h"
#include "SqliteUserStore.h"
#include "StorageUnavailable.h"
#include "TemporaryFile.h"
#include "UserStoreFactory.h"

namespace mis {
namespace {

TEST(UserStoreFactory, APostgresUriSelectsPostgresAnythingElseIsAnSqliteFile) {
  EXPECT_TRUE(IsPostgresLocation("postgresql://u:p@db:5432/users"));
  EXPECT_TRUE(IsPostgresLocation("postgres://db/users"));
  EXPECT_FALSE(IsPostgresLocation("users.sqlite"));
  EXPECT_FALSE(IsPostgresLocation("/var/lib/orthanc/postgresql://x"));
  EXPECT_FALSE(IsPostgresLocation("postgresql.sqlite"));
  test::TemporaryFolder folder;
  const auto sqlite = OpenUserStore(folder.File("users.sqlite"));
  EXPECT_NE(dynamic_cast<SqliteUserStore*>(sqlite.get()), nullptr);
  test::PostgresServer& server = test::SharedPostgresServer();
  const auto postgres = OpenUserStore(server.Uri(server.CreateDatabase()));
  EXPECT_NE(dynamic_cast<PostgresUserStore*>(postgres.get()), nullptr);
}

TEST(UserStoreFactory, DescriptionsNeverShowThePassword) {
  const std::string described =
      DescribeUserStoreLocation("postgresql://alice:s3cret%21@db.example:5433/users");
  EXPECT_EQ(described.find("s3cret"), std::string::npos) << described;
  EXPECT_NE(described.find("alice@db.example:5433/users"), std::string::npos) << described;
  EXPECT_EQ(DescribeUserStoreLocation("postgres://u@h/d?password=s3cret").find("s3cret"),
            std::string::npos);
  EXPECT_EQ(DescribeUserStoreLocation("/srv/users.sqlite"), "SQLite /srv/users.sqlite");
}

TEST(PostgresUserStore, AnUnreachableServerIsStorageUnavailableWithoutThePassword) {
  test::TemporaryFolder folder;
  const std::string uri = "postgresql://alice:s3cret@/users?host=" + folder.File("none") +
                          "&port=1&connect_timeout=2";
  try {
    PostgresUserStore store(uri);
    ADD_FAILURE() << "connected to nothing";
  } catch (const StorageUnavailable& error) {
    EXPECT_EQ(std::string(error.what()).find("s3cret"), std::string::npos) << error.what();
  }
  EXPECT_THROW(OpenUserStore("postgresql://[::1"), std::invalid_argument);
}

TEST(PostgresUserStore, KeepsToItsOwnSchemaAndTheAuditEvenFromTruncate) {
  test::PostgresServer& server = test::SharedPostgresServer();
  const std::string database = server.CreateDatabase();
  PostgresUserStore store(server.Uri(database));
  store.AppendAudit(AuditEvent{0, 1, "alice", "c", "login", "/api/auth/login", "", "ok"});
  // Nothing in "public": the database may be Orthanc's own index.
  EXPECT_EQ(server.QueryText(database,
                             "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"),
            "0");
  EXPECT_NE(server.Execute(database, "TRUNCATE medical_image_server.audit"), "");
  EXPECT_EQ(server.QueryText(database, "SELECT COUNT(*) FROM medical_image_server.audit"), "1");
}

// A database as release 1 made it: today's schema taken back to version 1,
// with an audit row of its own. Version 2 counts refusals into a row.
TEST(PostgresUserStore, MigratesAVersion1Database) {
  test::PostgresServer& server = test::SharedPostgresServer();
  const std::string database = server.CreateDatabase();
  { PostgresUserStore store(server.Uri(database)); }
  ASSERT_EQ(server.Execute(database,
                           "SET search_path TO medical_image_server;"
                           "DROP TRIGGER audit_only_counts_grow ON audit;"
                           "DROP FUNCTION audit_only_counts_grow();"
                           "DROP INDEX audit_by_client;"
                           "ALTER TABLE audit DROP COLUMN last_time, DROP COLUMN event_count;"
                           "DROP TRIGGER audit_is_append_only ON audit;"
                           "CREATE TRIGGER audit_is_append_only BEFORE UPDATE OR DELETE ON audit "
                           "FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();"
                           "INSERT INTO audit(time, user_name, client, action, route, series, "
                           "outcome) VALUES (5, 'alice', 'c', 'login', '/', '', 'ok');"
                           "UPDATE schema_version SET version = 1"),
            "");
  PostgresUserStore store(server.Uri(database));
  auto events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].count, 1);
  EXPECT_EQ(events[0].lastTime, 5);
  store.AppendOrCountAudit(AuditEvent{0, 6, "alice", "c", "login", "/", "", "ok"}, 0);
  events = store.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].count, 2);
  EXPECT_EQ(events[0].lastTime, 6);
  EXPECT_NE(server.Execute(database, "DELETE FROM medical_image_server.audit"), "");
  EXPECT_EQ(server.QueryText(database, "SELECT version FROM medical_image_server.schema_version"),
            std::to_string(PostgresUserStore::kSchemaVersion));
}

// Servers starting together on an empty database: one creates the schema,
// the others wait for it and find it made.
TEST(PostgresUserStore, ServersStartingTogetherCreateTheSchemaOnce) {
  test::PostgresServer& server = test::SharedPostgresServer();
  const std::string uri = server.Uri(server.CreateDatabase());
  std::vector<std::thread> nodes;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      try {
        PostgresUserStore store(uri);
        ++opened;
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
      }
    });
  }
  for (std::thread& node : nodes) node.join();
  EXPECT_EQ(opened.load(), 4);
}

class TwoServersOnOnePostgres : public ::testing::Test {
 protected:
  void SetUp() override { node1_.AddUser("alice", HashPassword("alice-password"), "user", 0); }

  Authenticator Make(UserStore& store) {
    return Authenticator(store, AuthSettings{}, [this] { return now_; }, VerifyPassword);
  }

  test::PostgresServer& server_ = test::SharedPostgresServer();
  std::string uri_ = server_.Uri(server_.CreateDatabase());
  PostgresUserStore node1_{uri_};
  PostgresUserStore node2_{uri_};
  int64_t now_ = 1000000;
};

TEST_F(TwoServersOnOnePostgres, OneLoginForAllAndOneLogoutEndsItEverywhere) {
  Authenticator first = Make(node1_);
  Authenticator second = Make(node2_);
  const LoginOutcome login = first.Login("alice", "alice-password", "10.0.0.1");
  ASSERT_EQ(login.status, LoginOutcome::Status::kOk);
  ASSERT_TRUE(second.CheckSession(login.sessionToken));
  second.Logout(login.sessionToken, "10.0.0.1");
  EXPECT_FALSE(first.CheckSession(login.sessionToken));
  EXPECT_EQ(node1_.CountAudit(), 2);  // login on one, logout on the other
}

TEST_F(TwoServersOnOnePostgres, FiveWrongLoginsOnEitherServerBlockTheNameOnBoth) {
  Authenticator first = Make(node1_);
  Authenticator second = Make(node2_);
  for (int i = 0; i < 5; ++i) {
    Authenticator& node = i % 2 == 0 ? first : second;
    EXPECT_EQ(node.Login("alice", "wrong", "10.0.0." + std::to_string(i)).status,
              LoginOutcome::Status::kInvalid);
    now_ += 1;
  }
  for (Authenticator* node : {&first, &second}) {
    const LoginOutcome blocked = node->Login("alice", "alice-password", "10.0.0.9");
    EXPECT_EQ(blocked.status, LoginOutcome::Status::kRateLimited);
    EXPECT_EQ(blocked.retryAfterSeconds, 55);
  }
  now_ += 55;
  EXPECT_EQ(second.Login("alice", "alice-password", "10.0.0.9").status,
            LoginOutcome::Status::kOk);
}

// A server of its own: these tests stop it.
class PostgresGoesAway : public ::testing::Test {
 protected:
  test::PostgresServer server_;
  std::string uri_ = server_.Uri(server_.CreateDatabase());
};

TEST_F(PostgresGoesAway, ADownServerIsStorageUnavailableAndARestartedOneIsUsedAgain) {
  PostgresUserStore store(uri_);
  store.AddUser("alice", "h", "user", 1);
  server_.Stop();
  EXPECT_THROW(store.FindUser("alice"), StorageUnavailable);
  EXPECT_THROW(store.AppendAudit(AuditEvent{0, 1, "alice", "c", "read", "/", "", "ok"}),
               StorageUnavailable);
  EXPECT_THROW(PostgresUserStore another(uri_), StorageUnavailable);
  server_.Start();
  EXPECT_TRUE(store.FindUser("alice"));  // a new connection, prepared again
}

TEST_F(PostgresGoesAway, AWriteRightAfterARestartGoesThrough) {
  PostgresUserStore store(uri_);
  store.AddUser("alice", "h", "user", 1);
  server_.Stop();
  server_.Start();
  // The old connection is dead: the store notices before sending the write.
  store.AppendAudit(AuditEvent{0, 1, "alice", "c", "read", "/", "", "ok"});
  EXPECT_EQ(store.CountAudit(), 1);
}

}  // namespace
}  // namespace mis
