#include "SqliteUserStore.h"

#include <optional>
#include <stdexcept>

namespace mis {
namespace {

// Version 1. Later versions append a step to Migrate(), never edit this one.
constexpr const char* kSchemaV1[] = {
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),"
    "  created_at INTEGER NOT NULL)",
    "CREATE TABLE sessions ("
    "  token_digest TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL)",
    "CREATE INDEX sessions_by_last_seen ON sessions(last_seen)",
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  token_digest TEXT NOT NULL UNIQUE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL)",
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  time INTEGER NOT NULL,"
    "  user TEXT NOT NULL,"
    "  client TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  route TEXT NOT NULL,"
    "  series TEXT NOT NULL,"
    "  outcome TEXT NOT NULL)",
    // The audit trail is append-only, even for someone with SQL access
    // through this file's usual tools.
    "CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
};

// Version 2: failed logins move from memory to the store, where every server
// on the database sees them.
constexpr const char* kSchemaV2[] = {
    "CREATE TABLE login_failures ("
    "  id INTEGER PRIMARY KEY,"
    "  time INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  client TEXT NOT NULL)",
    "CREATE INDEX login_failures_by_name ON login_failures(name, time)",
    "CREATE INDEX login_failures_by_client ON login_failures(client, time)",
    "CREATE INDEX login_failures_by_time ON login_failures(time)",
};

// Version 3: a row may stand for several occurrences (AppendOrCountAudit),
// so that a flood of refusals cannot grow the trail without bound. The
// trigger of version 1 gives way to one that still forbids changing a row's
// facts, and lets only its count and last time grow and its user become "*"
// (several names). last_time is NULL in older rows: the same as time.
constexpr const char* kSchemaV3[] = {
    "ALTER TABLE audit ADD COLUMN event_count INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE audit ADD COLUMN last_time INTEGER",
    "CREATE INDEX audit_by_client ON audit(client, time)",
    "DROP TRIGGER audit_is_append_only_update",
    "CREATE TRIGGER audit_only_counts_grow BEFORE UPDATE ON audit WHEN "
    "  NEW.id IS NOT OLD.id OR NEW.time IS NOT OLD.time OR NEW.client IS NOT OLD.client"
    "  OR NEW.action IS NOT OLD.action OR NEW.route IS NOT OLD.route"
    "  OR NEW.series IS NOT OLD.series OR NEW.outcome IS NOT OLD.outcome"
    "  OR NEW.event_count IS NULL OR NEW.event_count < OLD.event_count"
    "  OR COALESCE(NEW.last_time, NEW.time) < COALESCE(OLD.last_time, OLD.time)"
    "  OR (NEW.user IS NOT OLD.user AND NEW.user IS NOT '*') "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: a row''s count may only grow'); "
    "END",
};

User ReadUser(const SqliteStatement& row) {
  return User{row.Integer(0), row.Text(1), row.Text(2), row.Text(3)};
}

}  // namespace

SqliteUserStore::SqliteUserStore(const std::string& path) : database_(path) { Migrate(); }

void SqliteUserStore::Migrate() {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteTransaction transaction(database_);
  const int64_t current = database_.QueryInteger("PRAGMA user_version");
  if (current > kSchemaVersion) {
    throw std::runtime_error("the users database has schema version " + std::to_string(current) +
                             ", newer than this release understands (" +
                             std::to_string(kSchemaVersion) + ")");
  }
  if (current < 1) {
    for (const char* statement : kSchemaV1) database_.Execute(statement);
  }
  if (current < 2) {
    for (const char* statement : kSchemaV2) database_.Execute(statement);
  }
  if (current < 3) {
    for (const char* statement : kSchemaV3) database_.Execute(statement);
  }
  // PRAGMA takes no bound parameter; the version is our own constant.
  database_.Execute("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  transaction.Commit();
}

bool SqliteUserStore::AddUser(const std::string& name, const std::string& passwordHash,
                              const std::string& role, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_
      .Prepare("INSERT OR IGNORE INTO users(name, password_hash, role, created_at) "
               "VALUES (?1, ?2, ?3, ?4)")
      .Bind(1, name).Bind(2, passwordHash).Bind(3, role).Bind(4, now)
      .Run();
  return database_.Changes() == 1;
}

bool SqliteUserStore::SetPassword(const std::string& name, const std::string& passwordHash) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteTransaction transaction(database_);
  database_.Prepare("UPDATE users SET password_hash = ?1 WHERE name = ?2")
      .Bind(1, passwordHash).Bind(2, name)
      .Run();
  if (database_.Changes() != 1) return false;
  EndSessionsOf(name);
  transaction.Commit();
  return true;
}

bool SqliteUserStore::SetRole(const std::string& name, const std::string& role) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteTransaction transaction(database_);
  auto current = database_.Prepare("SELECT role FROM users WHERE name = ?1");
  if (!current.Bind(1, name).Step()) return false;
  const bool lowered = current.Text(0) == "admin" && role != "admin";
  database_.Prepare("UPDATE users SET role = ?1 WHERE name = ?2").Bind(1, role).Bind(2, name).Run();
  if (lowered) EndSessionsOf(name);
  transaction.Commit();
  return true;
}

void SqliteUserStore::EndSessionsOf(const std::string& name) {
  database_.Prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)")
      .Bind(1, name)
      .Run();
}

int64_t SqliteUserStore::RevokeApiTokensOf(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("DELETE FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE name = ?1)")
      .Bind(1, name)
      .Run();
  return database_.Changes();
}

bool SqliteUserStore::RemoveUser(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Sessions and tokens go with the user (ON DELETE CASCADE).
  database_.Prepare("DELETE FROM users WHERE name = ?1").Bind(1, name).Run();
  return database_.Changes() == 1;
}

std::optional<User> SqliteUserStore::FindUser(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = database_.Prepare("SELECT id, name, password_hash, role FROM users WHERE name = ?1");
  row.Bind(1, name);
  if (!row.Step()) return std::nullopt;
  return ReadUser(row);
}

std::vector<User> SqliteUserStore::ListUsers() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = database_.Prepare("SELECT id, name, password_hash, role FROM users ORDER BY name");
  std::vector<User> users;
  while (row.Step()) users.push_back(ReadUser(row));
  return users;
}

int64_t SqliteUserStore::CountUsers() {
  std::lock_guard<std::mutex> lock(mutex_);
  return database_.QueryInteger("SELECT COUNT(*) FROM users");
}

void SqliteUserStore::CreateSession(const std::string& tokenDigest, int64_t userId, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_
      .Prepare("INSERT INTO sessions(token_digest, user_id, created_at, last_seen) "
               "VALUES (?1, ?2, ?3, ?3)")
      .Bind(1, tokenDigest).Bind(2, userId).Bind(3, now)
      .Run();
}

std::optional<SessionRecord> SqliteUserStore::FindSession(const std::string& tokenDigest) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = database_.Prepare(
      "SELECT users.id, users.name, users.role, sessions.last_seen FROM sessions "
      "JOIN users ON users.id = sessions.user_id WHERE sessions.token_digest = ?1");
  row.Bind(1, tokenDigest);
  if (!row.Step()) return std::nullopt;
  return SessionRecord{Identity{row.Integer(0), row.Text(1), row.Text(2)}, row.Integer(3)};
}

void SqliteUserStore::TouchSession(const std::string& tokenDigest, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("UPDATE sessions SET last_seen = ?1 WHERE token_digest = ?2")
      .Bind(1, now).Bind(2, tokenDigest)
      .Run();
}

bool SqliteUserStore::DeleteSession(const std::string& tokenDigest) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("DELETE FROM sessions WHERE token_digest = ?1").Bind(1, tokenDigest).Run();
  return database_.Changes() == 1;
}

void SqliteUserStore::DeleteSessionsIdleSince(int64_t cutoff) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("DELETE FROM sessions WHERE last_seen < ?1").Bind(1, cutoff).Run();
}

int64_t SqliteUserStore::CreateApiToken(const std::string& tokenDigest, int64_t userId,
                                        const std::string& label, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_
      .Prepare("INSERT INTO api_tokens(token_digest, user_id, label, created_at) "
               "VALUES (?1, ?2, ?3, ?4)")
      .Bind(1, tokenDigest).Bind(2, userId).Bind(3, label).Bind(4, now)
      .Run();
  return database_.LastInsertId();
}

std::optional<Identity> SqliteUserStore::FindApiToken(const std::string& tokenDigest) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = database_.Prepare(
      "SELECT users.id, users.name, users.role FROM api_tokens "
      "JOIN users ON users.id = api_tokens.user_id WHERE api_tokens.token_digest = ?1");
  row.Bind(1, tokenDigest);
  if (!row.Step()) return std::nullopt;
  return Identity{row.Integer(0), row.Text(1), row.Text(2)};
}

bool SqliteUserStore::RevokeApiToken(int64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("DELETE FROM api_tokens WHERE id = ?1").Bind(1, id).Run();
  return database_.Changes() == 1;
}

std::vector<ApiTokenInfo> SqliteUserStore::ListApiTokens() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = database_.Prepare(
      "SELECT api_tokens.id, users.name, api_tokens.label, api_tokens.created_at "
      "FROM api_tokens JOIN users ON users.id = api_tokens.user_id ORDER BY api_tokens.id");
  std::vector<ApiTokenInfo> tokens;
  while (row.Step()) {
    tokens.push_back(ApiTokenInfo{row.Integer(0), row.Text(1), row.Text(2), row.Integer(3)});
  }
  return tokens;
}

void SqliteUserStore::InsertAudit(const AuditEvent& event) {
  database_
      .Prepare("INSERT INTO audit(time, user, client, action, route, series, outcome, "
               "event_count, last_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?1)")
      .Bind(1, event.time).Bind(2, event.user).Bind(3, event.client).Bind(4, event.action)
      .Bind(5, event.route).Bind(6, event.series).Bind(7, event.outcome)
      .Run();
}

void SqliteUserStore::AppendAudit(const AuditEvent& event) {
  std::lock_guard<std::mutex> lock(mutex_);
  InsertAudit(event);
}

void SqliteUserStore::AppendOrCountAudit(const AuditEvent& event, int64_t since) {
  std::lock_guard<std::mutex> lock(mutex_);
  SqliteTransaction transaction(database_);
  std::optional<int64_t> row;
  {
    auto recent = database_.Prepare(
        "SELECT id FROM audit WHERE client = ?1 AND time >= ?2 AND action = ?3 AND route = ?4 "
        "AND series = ?5 AND outcome = ?6 ORDER BY id DESC LIMIT 1");
    recent.Bind(1, event.client).Bind(2, since).Bind(3, event.action).Bind(4, event.route)
        .Bind(5, event.series).Bind(6, event.outcome);
    if (recent.Step()) row = recent.Integer(0);
  }
  if (row) {
    database_
        .Prepare("UPDATE audit SET event_count = event_count + 1, "
                 "last_time = MAX(COALESCE(last_time, time), ?1), "
                 "user = CASE WHEN user = ?2 THEN user ELSE '*' END WHERE id = ?3")
        .Bind(1, event.time).Bind(2, event.user).Bind(3, *row)
        .Run();
  } else {
    InsertAudit(event);
  }
  transaction.Commit();
}

std::vector<AuditEvent> SqliteUserStore::ListAudit(int64_t offset, int64_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto row = database_.Prepare(
      "SELECT id, time, user, client, action, route, series, outcome, event_count, "
      "COALESCE(last_time, time) FROM audit ORDER BY id DESC LIMIT ?1 OFFSET ?2");
  row.Bind(1, limit).Bind(2, offset);
  std::vector<AuditEvent> events;
  while (row.Step()) {
    events.push_back(AuditEvent{row.Integer(0), row.Integer(1), row.Text(2), row.Text(3),
                                row.Text(4), row.Text(5), row.Text(6), row.Text(7),
                                row.Integer(8), row.Integer(9)});
  }
  return events;
}

int64_t SqliteUserStore::CountAudit() {
  std::lock_guard<std::mutex> lock(mutex_);
  return database_.QueryInteger("SELECT COUNT(*) FROM audit");
}

void SqliteUserStore::RecordLoginFailure(const std::string& name, const std::string& client,
                                         int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("INSERT INTO login_failures(time, name, client) VALUES (?1, ?2, ?3)")
      .Bind(1, now).Bind(2, name).Bind(3, client)
      .Run();
}

std::optional<int64_t> SqliteUserStore::NthLatestLoginFailure(LoginFailureKey key,
                                                              const std::string& value,
                                                              int64_t after, unsigned n) {
  if (n == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  // Two fixed statements: a column name cannot be a bound parameter.
  auto row = database_.Prepare(
      key == LoginFailureKey::kName
          ? "SELECT time FROM login_failures WHERE name = ?1 AND time > ?2 "
            "ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?3"
          : "SELECT time FROM login_failures WHERE client = ?1 AND time > ?2 "
            "ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?3");
  row.Bind(1, value).Bind(2, after).Bind(3, int64_t{n} - 1);
  if (!row.Step()) return std::nullopt;
  return row.Integer(0);
}

void SqliteUserStore::ForgetLoginFailuresUntil(int64_t cutoff) {
  std::lock_guard<std::mutex> lock(mutex_);
  database_.Prepare("DELETE FROM login_failures WHERE time <= ?1").Bind(1, cutoff).Run();
}

}  // namespace mis
