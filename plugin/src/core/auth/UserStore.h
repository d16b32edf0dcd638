#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mis {

struct User {
  int64_t id = 0;
  std::string name;
  std::string passwordHash;
  std::string role;  // "user" or "admin"
};

// Who a request is made by, once a session, token or password was accepted.
struct Identity {
  int64_t userId = 0;
  std::string name;
  std::string role;
  bool IsAdmin() const { return role == "admin"; }
};

struct SessionRecord {
  Identity identity;
  int64_t lastSeen = 0;  // seconds since the epoch
};

struct ApiTokenInfo {
  int64_t id = 0;
  std::string userName;
  std::string label;
  int64_t createdAt = 0;
};

struct AuditEvent {
  int64_t id = 0;
  int64_t time = 0;
  std::string user;    // "" when unknown (failed login of an unknown name)
  std::string client;  // client address
  std::string action;  // login, login_failed, logout, read
  std::string route;
  std::string series;
  std::string outcome;
  // How many occurrences the row stands for, the first at `time` and the
  // last at `lastTime` (seconds since the epoch); see AppendOrCountAudit.
  int64_t count = 1;
  int64_t lastTime = 0;  // 0 when appending: `time`
};

// The user of a counted audit row whose occurrences named several users
// (AppendOrCountAudit); no user may have this name.
constexpr const char* kSeveralUserNames = "*";

// Which key of a failed login a count is about.
enum class LoginFailureKey { kName, kClient };

// Users, sessions, API tokens, failed logins and the audit trail. Secrets are
// stored only as hashes (Argon2id for passwords, BLAKE2b for tokens).
// Implementations are thread-safe; SQLite is the embedded one, PostgreSQL the
// one several servers share.
class UserStore {
 public:
  virtual ~UserStore() = default;

  virtual bool AddUser(const std::string& name, const std::string& passwordHash,
                       const std::string& role, int64_t now) = 0;  // false if it exists
  // Also ends the user's sessions, in the same transaction: whoever logged in
  // with the old password is logged out. False when there is no such user.
  virtual bool SetPassword(const std::string& name, const std::string& passwordHash) = 0;
  // Taking the admin role ("admin" to "user") also ends the user's sessions,
  // in the same transaction; granting it leaves them. False when there is no
  // such user.
  virtual bool SetRole(const std::string& name, const std::string& role) = 0;
  // Revokes every API token of the user; how many there were.
  virtual int64_t RevokeApiTokensOf(const std::string& name) = 0;
  // Also ends the user's sessions and revokes their tokens.
  virtual bool RemoveUser(const std::string& name) = 0;
  virtual std::optional<User> FindUser(const std::string& name) = 0;
  virtual std::vector<User> ListUsers() = 0;
  virtual int64_t CountUsers() = 0;

  virtual void CreateSession(const std::string& tokenDigest, int64_t userId, int64_t now) = 0;
  virtual std::optional<SessionRecord> FindSession(const std::string& tokenDigest) = 0;
  virtual void TouchSession(const std::string& tokenDigest, int64_t now) = 0;
  virtual bool DeleteSession(const std::string& tokenDigest) = 0;
  virtual void DeleteSessionsIdleSince(int64_t cutoff) = 0;

  virtual int64_t CreateApiToken(const std::string& tokenDigest, int64_t userId,
                                 const std::string& label, int64_t now) = 0;
  virtual std::optional<Identity> FindApiToken(const std::string& tokenDigest) = 0;
  virtual bool RevokeApiToken(int64_t id) = 0;
  virtual std::vector<ApiTokenInfo> ListApiTokens() = 0;

  virtual void AppendAudit(const AuditEvent& event) = 0;
  // Counts the event into the newest row of the same client, action, route,
  // series and outcome whose first time is at or after `since` (seconds since the
  // epoch): its count grows by one, its last time becomes the event's, and
  // its user becomes "*" once the events' user names differ. Without such a
  // row, appends the event. This keeps a flood of refusals to one row per
  // client and window. Rows are still never removed, and a row's facts never
  // change: the store lets only count and last time grow, and user become "*".
  virtual void AppendOrCountAudit(const AuditEvent& event, int64_t since) = 0;
  // Newest first.
  virtual std::vector<AuditEvent> ListAudit(int64_t offset, int64_t limit) = 0;
  virtual int64_t CountAudit() = 0;

  // Failed logins live in the store, so that every server on one database
  // counts the same failures (the login limits hold across servers).
  virtual void RecordLoginFailure(const std::string& name, const std::string& client,
                                  int64_t now) = 0;
  // The time of the n-th most recent failure (n >= 1) for the name or the
  // client that is later than `after`; none if there are fewer than n.
  virtual std::optional<int64_t> NthLatestLoginFailure(LoginFailureKey key,
                                                       const std::string& value, int64_t after,
                                                       unsigned n) = 0;
  // Forgets the failures at or before `cutoff`.
  virtual void ForgetLoginFailuresUntil(int64_t cutoff) = 0;
};

}  // namespace mis
