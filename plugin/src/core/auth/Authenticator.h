#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "CredentialVerifier.h"
#include "HttpCredentials.h"
#include "LoginRateLimiter.h"
#include "UserStore.h"

namespace mis {

struct AuthSettings {
  int64_t sessionIdleSeconds = 60 * 60;
  // last_seen is written at most this often per session, not on every request.
  int64_t sessionTouchSeconds = 60;
  // How long a verified Basic user:password pair is trusted without Argon2id.
  int64_t basicCacheSeconds = 60;
  // How long a session or API token checked in the database is trusted from
  // memory. Logging out on this server ends it at once; a logout on another
  // server, or a user or token removed by the users tool, within this time.
  // 0: every request asks the database.
  int64_t credentialCacheSeconds = 2;
  LoginRateLimiter::Limits loginLimits;
};

struct LoginOutcome {
  enum class Status { kOk, kInvalid, kRateLimited };
  Status status = Status::kInvalid;
  Identity identity;
  std::string sessionToken;  // the cookie value; only its digest is stored
  int64_t retryAfterSeconds = 0;
};

// The authentication policy, over a UserStore: logins with rate limits and an
// audit trail, sessions with an idle timeout, API tokens, HTTP Basic with a
// short cache of verified pairs. Thread-safe.
class Authenticator : public CredentialVerifier {
 public:
  using Clock = std::function<int64_t()>;  // seconds since the epoch
  using PasswordCheck = std::function<bool(const std::string& hash, const std::string& password)>;

  Authenticator(UserStore& store, AuthSettings settings, Clock clock, PasswordCheck check);

  // Unknown names and wrong passwords give the same outcome after the same
  // work (an Argon2id verification against a decoy hash).
  LoginOutcome Login(const std::string& name, const std::string& password,
                     const std::string& client);
  void Logout(const std::string& sessionToken, const std::string& client);

  // Tries the session cookie, then a bearer token, then Basic.
  std::optional<Identity> Authenticate(const Credentials& credentials, const std::string& client,
                                       AuthMethod* method) override;
  std::optional<Identity> CheckSession(const std::string& sessionToken);
  std::optional<Identity> CheckApiToken(const std::string& token);
  std::optional<Identity> CheckBasic(const std::string& name, const std::string& password,
                                     const std::string& client);

  // Seconds since the epoch by the authenticator's clock.
  int64_t Now() const { return clock_(); }

 private:
  struct CachedBasic {
    Identity identity;
    std::string passwordHash;
    int64_t expires = 0;
  };
  struct CachedCredential {
    Identity identity;
    int64_t lastSeen = 0;  // sessions: as stored
    int64_t expires = 0;
  };
  std::optional<CachedCredential> FindCached(const std::string& key, int64_t now);
  void Cache(const std::string& key, const Identity& identity, int64_t lastSeen, int64_t now);

  // Runs the password check against the user's hash or a decoy.
  std::optional<User> VerifyCredentials(const std::string& name, const std::string& password);
  // VerifyCredentials for an HTTP Basic pair, once for all the requests that
  // bring the same pair at the same time (a DICOMweb client opening 16
  // connections at once): they share the one Argon2id and its answer, or
  // its exception. `key` identifies the pair.
  std::optional<User> VerifyBasicOnce(const std::string& key, const std::string& name,
                                      const std::string& password);
  AuditEvent AuthEvent(const std::string& user, const std::string& client,
                       const std::string& action, const std::string& route,
                       const std::string& outcome) const;
  // A failed password check (login or Basic) in the audit trail. The
  // limiter's refusals are counted into one row per client and window.
  void AuditRefusal(const std::string& name, const std::string& client, const std::string& route,
                    const std::string& outcome);

  UserStore& store_;
  AuthSettings settings_;
  Clock clock_;
  PasswordCheck check_;
  LoginRateLimiter limiter_;
  std::mutex cacheMutex_;
  std::unordered_map<std::string, CachedBasic> basicCache_;  // key: digest of name + password
  std::unordered_map<std::string, CachedCredential> credentialCache_;  // key: kind + digest
  // The Basic pairs being verified now, by the key of basicCache_.
  std::unordered_map<std::string, std::shared_future<std::optional<User>>> basicInFlight_;
  // When a login last swept idle sessions (seconds since the epoch).
  std::atomic<int64_t> lastSweep_{0};
};

}  // namespace mis
