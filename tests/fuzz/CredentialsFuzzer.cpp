// Fuzz target: the access decision (AccessPolicy.h) that the request filter
// and every route ask, from the raw request: the Cookie and Authorization
// headers (HttpCredentials.h, Basic through Secrets' base64), the method and
// its overrides, the path, Origin and Host. The input is split on '\n' into:
// cookie, authorization, method, uri, origin, host, X-HTTP-Method-Override,
// ?_method= (missing fields are empty). Credentials are judged by a fake
// verifier, so that the decision is fuzzed without a database.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "AccessPolicy.h"
#include "Base64.h"
#include "HttpCredentials.h"
#include "RequestPolicy.h"
#include "Secrets.h"
#include "ServerThreadStack.h"

namespace {

// The next '\n'-terminated field of `input` (all of it for the last one).
std::string_view NextField(std::string_view& input) {
  const size_t newline = input.find('\n');
  const std::string_view field = input.substr(0, newline);
  input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
  return field;
}

void Require(bool condition) {
  if (!condition) std::abort();
}

// Session "user-session", token "admin-token" and Basic "alice:secret" are
// valid, in the Authenticator's order (cookie, then token, then Basic).
class FakeVerifier : public mis::CredentialVerifier {
 public:
  std::optional<mis::Identity> Authenticate(const mis::Credentials& credentials,
                                            const std::string&,
                                            mis::AuthMethod* method) override {
    *method = mis::AuthMethod::kNone;
    if (credentials.sessionToken == "user-session") {
      *method = mis::AuthMethod::kSession;
      return mis::Identity{1, "alice", "user"};
    }
    if (!credentials.bearerToken.empty()) {
      if (credentials.bearerToken != "admin-token") return std::nullopt;
      *method = mis::AuthMethod::kBearer;
      return mis::Identity{2, "root", "admin"};
    }
    if (credentials.hasBasic && credentials.basicUser == "alice" &&
        credentials.basicPassword == "secret") {
      *method = mis::AuthMethod::kBasic;
      return mis::Identity{1, "alice", "user"};
    }
    return std::nullopt;
  }
};

void CheckCredentials(std::string_view cookie, std::string_view authorization) {
  const mis::Credentials credentials = mis::ParseCredentials(cookie, authorization);
  // What the Authenticator relies on.
  Require(credentials.sessionToken == mis::CookieValue(cookie, mis::kSessionCookieName));
  Require(credentials.sessionToken.size() <= 256 && credentials.bearerToken.size() <= 256);
  Require(credentials.basicUser.find(':') == std::string::npos);
  Require(!credentials.malformedAuthorization ||
          (credentials.bearerToken.empty() && !credentials.hasBasic));
  if (credentials.hasBasic) {
    // Basic decoding is base64's inverse: encoding the pair gives it back.
    std::string decoded;
    const std::string pair = credentials.basicUser + ":" + credentials.basicPassword;
    Require(mis::DecodeBase64(mis::EncodeBase64(pair), decoded) && decoded == pair);
  }
}

void FuzzOne(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mis::RequestFacts facts;
  facts.cookie = NextField(input);
  facts.authorization = NextField(input);
  facts.method = NextField(input);
  facts.path = NextField(input);
  facts.origin = NextField(input);
  facts.host = NextField(input);
  facts.methodOverride = NextField(input);
  facts.queryMethod = NextField(input);
  facts.clientAddress = "10.0.0.1";
  CheckCredentials(facts.cookie, facts.authorization);

  FakeVerifier verifier;
  const std::optional<std::string> method = mis::EffectiveMethod(facts);
  const bool crossOrigin = mis::IsCrossOrigin(facts.origin, facts.host);
  if (facts.origin.empty()) Require(!crossOrigin);
  for (mis::Access access : {mis::Access::kPublic, mis::Access::kUser, mis::Access::kAdmin,
                             mis::Access::kOrthanc}) {
    const mis::AccessDecision decision = mis::DecideAccess(facts, access, verifier);
    const int status = decision.Status();
    Require(status == (decision.Allowed() ? 200 : 401) || (!decision.Allowed() && status == 403));
    Require(decision.Allowed() == decision.code.empty());
    if (!method) {
      Require(!decision.Allowed());  // a method Orthanc would not run
      continue;
    }
    if (!decision.Allowed()) {
      Require(!decision.identity);
      continue;
    }
    Require(decision.effectiveMethod == *method);
    if (access == mis::Access::kPublic) {
      Require(!decision.identity && decision.authenticatedBy == mis::AuthMethod::kNone);
      continue;
    }
    // Allowed beyond the public routes: someone authenticated, and the rules hold.
    Require(decision.identity && decision.authenticatedBy != mis::AuthMethod::kNone);
    Require(!(decision.authenticatedBy == mis::AuthMethod::kSession &&
              mis::IsStateChanging(*method) && crossOrigin));
    if (access == mis::Access::kAdmin) Require(decision.identity->IsAdmin());
    if (access == mis::Access::kOrthanc && !mis::IsOpenToEveryUser(*method, facts.path)) {
      Require(decision.identity->IsAdmin());
    }
  }
  const mis::AccessDecision login = mis::DecideLogin(facts);
  Require(login.Allowed() == !crossOrigin);

  // The public routes: never outside the table's method, never "..".
  static const mis::PublicRoutes publicRoutes({{"/api/health", "GET"},
                                               {"/api/auth/login", "POST"},
                                               {"/", "GET"},
                                               {"/ui", "GET"},
                                               {"/ui/(.+)", "GET"}});
  if (publicRoutes.Contains(facts.method, facts.path)) {
    Require(facts.method == "GET" || facts.method == "POST");
    Require(facts.path.find("..") == std::string::npos);
  }
  if (mis::FilterAccess(facts, publicRoutes) == mis::Access::kPublic) {
    Require(method && publicRoutes.Contains(*method, facts.path));
  }
}

}  // namespace

// On the stack of Orthanc's HTTP threads, where the route runs this code.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mis::test::RunOnServerHttpStack([&] { FuzzOne(data, size); });
  return 0;
}
