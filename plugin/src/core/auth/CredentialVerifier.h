#pragma once

#include <optional>
#include <string>

#include "HttpCredentials.h"
#include "UserStore.h"

namespace mis {

// How a request proved who makes it.
enum class AuthMethod { kNone, kSession, kBearer, kBasic };

// What the access policy needs from authentication. The Authenticator is the
// one the plugin uses; the policy's tests and fuzzer may give another, so that
// the policy is checked without Orthanc.
class CredentialVerifier {
 public:
  virtual ~CredentialVerifier() = default;

  // Who the credentials belong to, trying the session cookie, then a bearer
  // token, then Basic; nullopt when none of them is valid. `method` (when not
  // null) receives the kind that was accepted, kNone if none was. `client` is
  // the client's address (the login limits count Basic failures per address).
  virtual std::optional<Identity> Authenticate(const Credentials& credentials,
                                               const std::string& client,
                                               AuthMethod* method) = 0;
};

}  // namespace mis
