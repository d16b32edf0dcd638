#include "Authenticator.h"

#include "Secrets.h"

namespace mis {
namespace {

// Names and passwords beyond these are not real ones: still verified against
// the decoy (same timing), never looked up.
constexpr size_t kMaxNameLength = 256;
constexpr size_t kMaxPasswordLength = 4096;
constexpr size_t kMaxCachedEntries = 10000;
constexpr int64_t kSweepSeconds = 300;

// The audit trail's route and outcomes of password checks. A Basic pair is
// checked on whatever route it came with: the trail names the scheme.
constexpr const char* kLoginRoute = "/api/auth/login";
constexpr const char* kBasicRoute = "(HTTP Basic)";
constexpr const char* kInvalidCredentials = "invalid_credentials";
constexpr const char* kRateLimited = "rate_limited";

}  // namespace

Authenticator::Authenticator(UserStore& store, AuthSettings settings, Clock clock,
                             PasswordCheck check)
    : store_(store), settings_(settings), clock_(std::move(clock)), check_(std::move(check)),
      limiter_(store, settings.loginLimits) {}

std::optional<User> Authenticator::VerifyCredentials(const std::string& name,
                                                     const std::string& password) {
  std::optional<User> user;
  if (name.size() <= kMaxNameLength && password.size() <= kMaxPasswordLength) {
    user = store_.FindUser(name);
  }
  const std::string& hash = user ? user->passwordHash : DecoyPasswordHash();
  const bool matches = check_(hash, password);
  if (!user || !matches) return std::nullopt;
  return user;
}

AuditEvent Authenticator::AuthEvent(const std::string& user, const std::string& client,
                                    const std::string& action, const std::string& route,
                                    const std::string& outcome) const {
  AuditEvent event;
  event.time = clock_();
  event.user = user.size() <= kMaxNameLength ? user : user.substr(0, kMaxNameLength) + "...";
  event.client = client;
  event.action = action;
  event.route = route;
  event.outcome = outcome;
  return event;
}

void Authenticator::AuditRefusal(const std::string& name, const std::string& client,
                                 const std::string& route, const std::string& outcome) {
  const AuditEvent event = AuthEvent(name, client, "login_failed", route, outcome);
  if (outcome == kRateLimited) {
    // The limiter refuses without checking anything, as fast as a client
    // can ask: one row a window and client, counting them all.
    store_.AppendOrCountAudit(event, event.time - settings_.loginLimits.windowSeconds);
  } else {
    store_.AppendAudit(event);  // at most the limiter's maximum a window
  }
}

LoginOutcome Authenticator::Login(const std::string& name, const std::string& password,
                                  const std::string& client) {
  const int64_t now = clock_();
  LoginOutcome outcome;
  outcome.retryAfterSeconds = limiter_.RetryAfter(name, client, now);
  if (outcome.retryAfterSeconds > 0) {
    outcome.status = LoginOutcome::Status::kRateLimited;
    AuditRefusal(name, client, kLoginRoute, kRateLimited);
    return outcome;
  }
  const std::optional<User> user = VerifyCredentials(name, password);
  if (!user) {
    limiter_.RecordFailure(name, client, now);
    outcome.status = LoginOutcome::Status::kInvalid;
    AuditRefusal(name, client, kLoginRoute, kInvalidCredentials);
    return outcome;
  }
  // Logins run on several threads: the one that swaps in `now` sweeps, as
  // LoginRateLimiter purges, and the others go on without waiting.
  int64_t last = lastSweep_.load();
  if (now - last >= kSweepSeconds && lastSweep_.compare_exchange_strong(last, now)) {
    store_.DeleteSessionsIdleSince(now - settings_.sessionIdleSeconds);
  }
  outcome.status = LoginOutcome::Status::kOk;
  outcome.identity = Identity{user->id, user->name, user->role};
  outcome.sessionToken = NewSecretToken();
  store_.CreateSession(TokenDigest(outcome.sessionToken), user->id, now);
  store_.AppendAudit(AuthEvent(user->name, client, "login", kLoginRoute, "ok"));
  return outcome;
}

std::optional<Authenticator::CachedCredential> Authenticator::FindCached(const std::string& key,
                                                                        int64_t now) {
  if (settings_.credentialCacheSeconds <= 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(cacheMutex_);
  const auto found = credentialCache_.find(key);
  if (found == credentialCache_.end() || found->second.expires <= now) return std::nullopt;
  return found->second;
}

void Authenticator::Cache(const std::string& key, const Identity& identity, int64_t lastSeen,
                          int64_t now) {
  if (settings_.credentialCacheSeconds <= 0) return;
  std::lock_guard<std::mutex> lock(cacheMutex_);
  if (credentialCache_.size() >= kMaxCachedEntries) credentialCache_.clear();
  credentialCache_[key] = CachedCredential{identity, lastSeen, now + settings_.credentialCacheSeconds};
}

void Authenticator::Logout(const std::string& sessionToken, const std::string& client) {
  const std::string digest = TokenDigest(sessionToken);
  {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    credentialCache_.erase("session:" + digest);
  }
  const std::optional<SessionRecord> session = store_.FindSession(digest);
  store_.DeleteSession(digest);
  store_.AppendAudit(AuthEvent(session ? session->identity.name : "", client, "logout",
                               "/api/auth/logout", session ? "ok" : "no_session"));
}

std::optional<Identity> Authenticator::CheckSession(const std::string& sessionToken) {
  if (sessionToken.empty()) return std::nullopt;
  const std::string digest = TokenDigest(sessionToken);
  const int64_t now = clock_();
  // From memory while it is fresh and needs neither expiring nor touching.
  if (const auto cached = FindCached("session:" + digest, now)) {
    if (now - cached->lastSeen < settings_.sessionTouchSeconds) return cached->identity;
  }
  const std::optional<SessionRecord> session = store_.FindSession(digest);
  if (!session) return std::nullopt;
  const int64_t idle = now - session->lastSeen;
  if (idle > settings_.sessionIdleSeconds) {
    store_.DeleteSession(digest);
    return std::nullopt;
  }
  int64_t lastSeen = session->lastSeen;
  if (idle >= settings_.sessionTouchSeconds) {
    store_.TouchSession(digest, now);
    lastSeen = now;
  }
  Cache("session:" + digest, session->identity, lastSeen, now);
  return session->identity;
}

std::optional<Identity> Authenticator::CheckApiToken(const std::string& token) {
  if (token.empty()) return std::nullopt;
  const std::string digest = TokenDigest(token);
  const std::string key = "token:" + digest;
  const int64_t now = clock_();
  if (const auto cached = FindCached(key, now)) return cached->identity;
  const std::optional<Identity> identity = store_.FindApiToken(digest);
  if (identity) Cache(key, *identity, now, now);
  return identity;
}

std::optional<Identity> Authenticator::CheckBasic(const std::string& name,
                                                  const std::string& password,
                                                  const std::string& client) {
  const int64_t now = clock_();
  // Locked out as at the login, whatever the cache holds: a remembered right
  // password must not outlast a lockout (nor let guesses go on beside it).
  if (limiter_.RetryAfter(name, client, now) > 0) {
    AuditRefusal(name, client, kBasicRoute, kRateLimited);
    return std::nullopt;
  }
  const std::string key = TokenDigest(name + '\0' + password);
  std::optional<CachedBasic> cached;
  {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    auto entry = basicCache_.find(key);
    if (entry != basicCache_.end() && entry->second.expires > now) cached = entry->second;
  }
  if (cached) {
    // Still the same password? A changed or removed user drops out at once.
    const std::optional<User> user = store_.FindUser(name);
    if (user && ConstantTimeEquals(user->passwordHash, cached->passwordHash)) {
      return Identity{user->id, user->name, user->role};
    }
    std::lock_guard<std::mutex> lock(cacheMutex_);
    basicCache_.erase(key);
  }
  const std::optional<User> user = VerifyBasicOnce(key, name, password);
  if (!user) {
    limiter_.RecordFailure(name, client, now);
    AuditRefusal(name, client, kBasicRoute, kInvalidCredentials);
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(cacheMutex_);
  if (basicCache_.size() >= kMaxCachedEntries) basicCache_.clear();
  basicCache_[key] =
      CachedBasic{Identity{user->id, user->name, user->role}, user->passwordHash,
                  now + settings_.basicCacheSeconds};
  return Identity{user->id, user->name, user->role};
}

std::optional<User> Authenticator::VerifyBasicOnce(const std::string& key, const std::string& name,
                                                   const std::string& password) {
  std::promise<std::optional<User>> verdict;
  const std::shared_future<std::optional<User>> own = verdict.get_future().share();
  std::shared_future<std::optional<User>> shared;
  {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    const auto found = basicInFlight_.find(key);
    if (found != basicInFlight_.end()) {
      shared = found->second;
    } else {
      basicInFlight_[key] = own;
    }
  }
  if (shared.valid()) return shared.get();  // another request verifies this pair
  try {
    verdict.set_value(VerifyCredentials(name, password));
  } catch (...) {
    verdict.set_exception(std::current_exception());  // login_busy for every one of them
  }
  {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    basicInFlight_.erase(key);
  }
  return own.get();
}

std::optional<Identity> Authenticator::Authenticate(const Credentials& credentials,
                                                    const std::string& client,
                                                    AuthMethod* method) {
  auto found = [&](std::optional<Identity> identity, AuthMethod how) {
    if (method != nullptr) *method = identity ? how : AuthMethod::kNone;
    return identity;
  };
  if (!credentials.sessionToken.empty()) {
    if (auto identity = CheckSession(credentials.sessionToken)) {
      return found(identity, AuthMethod::kSession);
    }
  }
  if (!credentials.bearerToken.empty()) {
    return found(CheckApiToken(credentials.bearerToken), AuthMethod::kBearer);
  }
  if (credentials.hasBasic) {
    return found(CheckBasic(credentials.basicUser, credentials.basicPassword, client),
                 AuthMethod::kBasic);
  }
  return found(std::nullopt, AuthMethod::kNone);
}

}  // namespace mis
