#pragma once

#include <mutex>
#include <string>

#include "PostgresDatabase.h"
#include "UserStore.h"

namespace mis {

// The user store in PostgreSQL, shared by every server that names the same
// database: one login for all of them, one logout ends a session everywhere,
// and the login limits count the failures seen by all. Prepared statements
// only. Everything lives in its own schema, so the database may be the one
// Orthanc's PostgreSQL index uses; the schema carries its version in
// schema_version, so that a later release can migrate it step by step.
// One connection behind a mutex: the authenticator keeps checked credentials
// in memory briefly, so the database sees little traffic per request.
class PostgresUserStore : public UserStore {
 public:
  static constexpr int kSchemaVersion = 2;
  // The schema our tables live in, beside Orthanc's own in a shared database:
  // the one place its name is written.
  static constexpr const char* kSchema = "medical_image_server";

  // `conninfo`: a postgresql:// URI or a libpq connection string.
  explicit PostgresUserStore(const std::string& conninfo);

  bool AddUser(const std::string& name, const std::string& passwordHash, const std::string& role,
               int64_t now) override;
  bool SetPassword(const std::string& name, const std::string& passwordHash) override;
  bool SetRole(const std::string& name, const std::string& role) override;
  int64_t RevokeApiTokensOf(const std::string& name) override;
  bool RemoveUser(const std::string& name) override;
  std::optional<User> FindUser(const std::string& name) override;
  std::vector<User> ListUsers() override;
  int64_t CountUsers() override;

  void CreateSession(const std::string& tokenDigest, int64_t userId, int64_t now) override;
  std::optional<SessionRecord> FindSession(const std::string& tokenDigest) override;
  void TouchSession(const std::string& tokenDigest, int64_t now) override;
  bool DeleteSession(const std::string& tokenDigest) override;
  void DeleteSessionsIdleSince(int64_t cutoff) override;

  int64_t CreateApiToken(const std::string& tokenDigest, int64_t userId, const std::string& label,
                         int64_t now) override;
  std::optional<Identity> FindApiToken(const std::string& tokenDigest) override;
  bool RevokeApiToken(int64_t id) override;
  std::vector<ApiTokenInfo> ListApiTokens() override;

  void AppendAudit(const AuditEvent& event) override;
  void AppendOrCountAudit(const AuditEvent& event, int64_t since) override;
  std::vector<AuditEvent> ListAudit(int64_t offset, int64_t limit) override;
  int64_t CountAudit() override;

  void RecordLoginFailure(const std::string& name, const std::string& client,
                          int64_t now) override;
  std::optional<int64_t> NthLatestLoginFailure(LoginFailureKey key, const std::string& value,
                                               int64_t after, unsigned n) override;
  void ForgetLoginFailuresUntil(int64_t cutoff) override;

 private:
  void Migrate();
  // Deletes the user's sessions; the caller holds the mutex, in a transaction.
  void EndSessionsOf(const std::string& name);

  std::mutex mutex_;
  PostgresConnection connection_;
};

}  // namespace mis
