#include "PolicyWorld.h"

#include <stdexcept>

#include "Base64.h"
#include "Secrets.h"

namespace mis::test {
namespace {

// Argon2id is AuthenticatorTest's subject; here a plain comparison keeps tens
// of thousands of requests fast. Stored "hashes" are "plain:" + password.
bool PlainPasswordCheck(const std::string& hash, const std::string& password) {
  return hash == "plain:" + password;
}

// The login limits would turn the matrix's thousands of wrong passwords into
// refusals of the right ones: high enough never to be reached here
// (LoginRateLimiterTest checks them).
AuthSettings PolicySettings() {
  AuthSettings settings;
  settings.loginLimits.failuresPerName = 1000000;
  settings.loginLimits.failuresPerClient = 1000000;
  return settings;
}

std::string Basic(const std::string& pair) { return "Basic " + EncodeBase64(pair); }

}  // namespace

PolicyWorld::PolicyWorld()
    : settings_(PolicySettings()),
      authenticator_(store_, settings_, [this] { return now_; }, PlainPasswordCheck) {
  store_.AddUser(kUser, "plain:alice-password", "user", now_);
  store_.AddUser(kAdmin, "plain:root-password", "admin", now_);
  userId_ = store_.FindUser(kUser)->id;
  adminId_ = store_.FindUser(kAdmin)->id;
  userSession_ = authenticator_.Login(kUser, "alice-password", "10.0.0.1").sessionToken;
  adminSession_ = authenticator_.Login(kAdmin, "root-password", "10.0.0.1").sessionToken;
  if (userSession_.empty() || adminSession_.empty()) throw std::runtime_error("no session");
  userToken_ = NewSecretToken();
  adminToken_ = NewSecretToken();
  revokedAdminToken_ = NewSecretToken();
  store_.CreateApiToken(TokenDigest(userToken_), userId_, "user", now_);
  store_.CreateApiToken(TokenDigest(adminToken_), adminId_, "admin", now_);
  store_.RevokeApiToken(
      store_.CreateApiToken(TokenDigest(revokedAdminToken_), adminId_, "revoked", now_));
}

std::string PolicyWorld::Session(int64_t userId, int64_t lastSeen) {
  const std::string token = NewSecretToken();
  store_.CreateSession(TokenDigest(token), userId, lastSeen);
  return token;
}

CredentialHeaders PolicyWorld::Headers(CredentialKind kind) {
  const std::string cookie = "mis_session=";
  // Idle one second longer than the timeout allows.
  auto expired = [&] { return Session(userId_, now_ - settings_.sessionIdleSeconds - 1); };
  switch (kind) {
    case CredentialKind::kNone: return {};
    case CredentialKind::kUserSession: return {"theme=dark; " + cookie + userSession_, ""};
    case CredentialKind::kAdminSession: return {cookie + adminSession_, ""};
    case CredentialKind::kForgedSession: return {cookie + NewSecretToken(), ""};
    case CredentialKind::kExpiredUserSession: return {cookie + expired(), ""};
    case CredentialKind::kUserSessionUnderAnotherCookieName:
      return {"x" + cookie + userSession_, ""};
    case CredentialKind::kUserBearer: return {"", "Bearer " + userToken_};
    case CredentialKind::kAdminBearer: return {"", "Bearer " + adminToken_};
    case CredentialKind::kForgedBearer: return {"", "Bearer " + NewSecretToken()};
    case CredentialKind::kRevokedAdminBearer: return {"", "Bearer " + revokedAdminToken_};
    case CredentialKind::kUserBasic: return {"", Basic("alice:alice-password")};
    case CredentialKind::kAdminBasic: return {"", Basic("root:root-password")};
    case CredentialKind::kUserBasicWrongPassword: return {"", Basic("alice:guess")};
    case CredentialKind::kUnknownUserBasic: return {"", Basic("mallory:alice-password")};
    case CredentialKind::kBasicNotBase64: return {"", "Basic !!!"};
    case CredentialKind::kBasicWithoutColon: return {"", Basic("alice")};
    case CredentialKind::kUnknownScheme: return {"", "Digest username=\"alice\""};
    case CredentialKind::kEmptyBearer: return {"", "Bearer "};
    case CredentialKind::kExpiredSessionAndAdminBearer:
      return {cookie + expired(), "Bearer " + adminToken_};
    case CredentialKind::kUserSessionAndAdminBearer:
      return {cookie + userSession_, "Bearer " + adminToken_};
    case CredentialKind::kUserSessionAndUnknownScheme:
      return {cookie + userSession_, "Digest username=\"root\""};
    case CredentialKind::kForgedSessionAndUserBasic:
      return {cookie + NewSecretToken(), Basic("alice:alice-password")};
  }
  throw std::logic_error("unknown credential kind");
}

RequestFacts PolicyWorld::Request(CredentialKind kind, const std::string& method,
                                  const std::string& methodOverride,
                                  const std::string& queryMethod, const std::string& path,
                                  const std::string& origin, const std::string& host) {
  const CredentialHeaders headers = Headers(kind);
  RequestFacts facts;
  facts.method = method;
  facts.methodOverride = methodOverride;
  facts.queryMethod = queryMethod;
  facts.path = path;
  facts.cookie = headers.cookie;
  facts.authorization = headers.authorization;
  facts.origin = origin;
  facts.host = host;
  facts.clientAddress = "10.0.0.7";
  return facts;
}

}  // namespace mis::test
