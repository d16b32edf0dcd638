#pragma once

// The credentials the access-policy tests present: a real Authenticator over
// a real SQLite user store, with one user and one administrator, their
// sessions, API tokens and passwords, and a fake clock.

#include <cstdint>
#include <string>

#include "AccessPolicy.h"
#include "Authenticator.h"
#include "SqliteUserStore.h"
#include "TemporaryFile.h"

namespace mis::test {

// What a request may carry in its Cookie and Authorization headers.
enum class CredentialKind {
  kNone,
  kUserSession,
  kAdminSession,
  kForgedSession,
  kExpiredUserSession,
  kUserSessionUnderAnotherCookieName,
  kUserBearer,
  kAdminBearer,
  kForgedBearer,
  kRevokedAdminBearer,
  kUserBasic,
  kAdminBasic,
  kUserBasicWrongPassword,
  kUnknownUserBasic,
  kBasicNotBase64,
  kBasicWithoutColon,
  kUnknownScheme,
  kEmptyBearer,
  kExpiredSessionAndAdminBearer,
  kUserSessionAndAdminBearer,
  kUserSessionAndUnknownScheme,
  kForgedSessionAndUserBasic,
};

struct CredentialHeaders {
  std::string cookie;
  std::string authorization;
};

class PolicyWorld {
 public:
  static constexpr const char* kUser = "alice";   // role "user"
  static constexpr const char* kAdmin = "root";   // role "admin"

  PolicyWorld();

  Authenticator& Verifier() { return authenticator_; }
  // The headers of `kind`. An expired session is made anew at each call: the
  // Authenticator deletes the ones it finds expired.
  CredentialHeaders Headers(CredentialKind kind);
  // A request carrying the headers of `kind` and these facts, from a fixed
  // client address.
  RequestFacts Request(CredentialKind kind, const std::string& method,
                       const std::string& methodOverride, const std::string& queryMethod,
                       const std::string& path, const std::string& origin,
                       const std::string& host);

 private:
  std::string Session(int64_t userId, int64_t lastSeen);

  TemporaryFolder folder_;
  SqliteUserStore store_{folder_.File("users.sqlite")};
  int64_t now_ = 1000000;
  AuthSettings settings_;
  Authenticator authenticator_;
  int64_t userId_ = 0;
  int64_t adminId_ = 0;
  std::string userSession_;
  std::string adminSession_;
  std::string userToken_;
  std::string adminToken_;
  std::string revokedAdminToken_;
};

}  // namespace mis::test
