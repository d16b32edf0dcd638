// The access decision: examples written out one by one (the matrix's
// anchors), the effective method, the login's own rule, the request filter's
// level and the refusal as an HttpError.
#include <gtest/gtest.h>

#include "AccessPolicy.h"
#include "PolicyCases.h"
#include "PolicyWorld.h"

namespace mis::test {
namespace {

constexpr const char* kHost = "127.0.0.1:8042";
constexpr const char* kOurs = "http://127.0.0.1:8042";
constexpr const char* kEvil = "http://evil.example";

struct Example {
  Access access;
  const char* path;
  const char* method;
  const char* methodOverride;
  const char* queryMethod;
  CredentialKind credentials;
  const char* origin;
  int status;
  const char* code;  // refusals
  const char* user;  // allowed and authenticated
  AuthMethod how;
};

TEST(AccessPolicy, Examples) {
  using K = CredentialKind;
  using M = AuthMethod;
  const Example examples[] = {
      // Public routes never look at credentials.
      {Access::kPublic, "/api/health", "GET", "", "", K::kNone, "", 200, "", "", M::kNone},
      {Access::kPublic, "/api/health", "POST", "", "", K::kUserSession, kEvil, 200, "", "",
       M::kNone},
      {Access::kPublic, "/api/health", "GET", "", "", K::kForgedBearer, "", 200, "", "", M::kNone},
      // Everything else needs valid credentials: 401 without.
      {Access::kUser, "/api/volume", "GET", "", "", K::kNone, "", 401, "unauthenticated", "",
       M::kNone},
      {Access::kUser, "/api/volume", "GET", "", "", K::kExpiredUserSession, "", 401,
       "unauthenticated", "", M::kNone},
      {Access::kAdmin, "/api/audit", "GET", "", "", K::kNone, "", 401, "unauthenticated", "",
       M::kNone},
      {Access::kUser, "/api/volume", "GET", "", "", K::kUserSession, "", 200, "", "alice",
       M::kSession},
      // Cookies on writes from another origin: CSRF.
      {Access::kUser, "/api/volume", "POST", "", "", K::kUserSession, kEvil, 403, "cross_origin",
       "", M::kNone},
      {Access::kUser, "/api/volume", "POST", "", "", K::kUserSession, "", 200, "", "alice",
       M::kSession},
      {Access::kUser, "/api/volume", "POST", "", "", K::kUserSession, kOurs, 200, "", "alice",
       M::kSession},
      {Access::kUser, "/api/volume", "GET", "", "", K::kUserSession, kEvil, 200, "", "alice",
       M::kSession},
      {Access::kUser, "/api/volume", "GET", "", "delete", K::kUserSession, kEvil, 403,
       "method_override", "", M::kNone},
      // The same-site <img src="...?_method=DELETE">: no Origin, the cookie sent.
      {Access::kOrthanc, "/patients/abc", "GET", "", "DELETE", K::kAdminSession, "", 403,
       "method_override", "", M::kNone},
      {Access::kOrthanc, "/patients/abc", "GET", "DELETE", "", K::kAdminSession, kOurs, 403,
       "method_override", "", M::kNone},
      // With a password, or the method itself, an administrator may.
      {Access::kOrthanc, "/patients/abc", "GET", "", "DELETE", K::kAdminBasic, "", 200, "", "root",
       M::kBasic},
      {Access::kOrthanc, "/patients/abc", "DELETE", "", "", K::kAdminSession, kOurs, 200, "",
       "root", M::kSession},
      {Access::kUser, "/api/volume", "POST", "", "", K::kAdminSession, "null", 403, "cross_origin",
       "", M::kNone},
      {Access::kAdmin, "/api/audit", "POST", "", "", K::kUserSession, kEvil, 403, "cross_origin",
       "", M::kNone},
      // Tokens and passwords are not sent by browsers on their own.
      {Access::kUser, "/api/volume", "POST", "", "", K::kUserBearer, kEvil, 200, "", "alice",
       M::kBearer},
      {Access::kUser, "/api/volume", "POST", "", "", K::kUserBasic, kEvil, 200, "", "alice",
       M::kBasic},
      // Roles.
      {Access::kAdmin, "/api/audit", "GET", "", "", K::kUserBearer, "", 403, "forbidden", "",
       M::kNone},
      {Access::kAdmin, "/api/audit", "GET", "", "", K::kAdminBasic, "", 200, "", "root",
       M::kBasic},
      {Access::kOrthanc, "/patients/abc", "DELETE", "", "", K::kUserBearer, "", 403, "forbidden",
       "", M::kNone},
      {Access::kOrthanc, "/patients/abc", "GET", "DELETE", "", K::kUserBearer, "", 403,
       "forbidden", "", M::kNone},
      {Access::kOrthanc, "/patients/abc", "GET", "", "", K::kUserBearer, "", 200, "", "alice",
       M::kBearer},
      {Access::kOrthanc, "/instances", "POST", "", "", K::kUserBearer, "", 200, "", "alice",
       M::kBearer},
      {Access::kOrthanc, "/instances", "POST", "", "", K::kUserSession,
       "http://127.0.0.1:8042.evil.example", 403, "cross_origin", "", M::kNone},
      {Access::kOrthanc, "/tools/reset", "POST", "", "", K::kAdminSession, kOurs, 200, "", "root",
       M::kSession},
      {Access::kOrthanc, "/tools/reset", "POST", "", "", K::kUserBasic, "", 403, "forbidden", "",
       M::kNone},
      // Overrides Orthanc refuses.
      {Access::kUser, "/api/volume", "GET", "PATCH", "", K::kAdminBasic, "", 403,
       "method_override", "", M::kNone},
  };
  PolicyWorld world;
  for (const Example& example : examples) {
    const RequestFacts facts =
        world.Request(example.credentials, example.method, example.methodOverride,
                      example.queryMethod, example.path, example.origin, kHost);
    const AccessDecision decision = DecideAccess(facts, example.access, world.Verifier());
    SCOPED_TRACE(std::string(example.method) + " " + example.path + " " + example.methodOverride +
                 example.queryMethod + " Origin '" + example.origin + "'");
    EXPECT_EQ(decision.Status(), example.status);
    EXPECT_EQ(decision.code, example.code);
    EXPECT_EQ(decision.identity ? decision.identity->name : "", example.user);
    EXPECT_EQ(decision.authenticatedBy, example.how);
  }
}

// Counts the calls, to show what the policy asks and when.
class CountingVerifier : public CredentialVerifier {
 public:
  std::optional<Identity> Authenticate(const Credentials& credentials, const std::string&,
                                       AuthMethod* method) override {
    ++calls;
    *method = AuthMethod::kNone;
    if (credentials.bearerToken != "good") return std::nullopt;
    *method = AuthMethod::kBearer;
    return Identity{1, "alice", "user"};
  }
  int calls = 0;
};

TEST(AccessPolicy, PublicRoutesAndRefusedMethodsNeverCheckCredentials) {
  CountingVerifier verifier;
  RequestFacts facts;
  facts.method = "GET";
  facts.authorization = "Bearer good";
  EXPECT_TRUE(DecideAccess(facts, Access::kPublic, verifier).Allowed());
  facts.methodOverride = "PATCH";
  EXPECT_FALSE(DecideAccess(facts, Access::kUser, verifier).Allowed());
  EXPECT_EQ(verifier.calls, 0);
  facts.methodOverride = "";
  EXPECT_TRUE(DecideAccess(facts, Access::kUser, verifier).Allowed());
  EXPECT_EQ(verifier.calls, 1);
}

TEST(AccessPolicy, EffectiveMethodIsOrthancs) {
  for (const MethodCase& method : MethodCases()) {
    RequestFacts facts;
    facts.method = method.method;
    facts.methodOverride = method.methodOverride;
    facts.queryMethod = method.queryMethod;
    SCOPED_TRACE(std::string(method.method) + " " + method.methodOverride + method.queryMethod);
    const std::optional<std::string> effective = EffectiveMethod(facts);
    EXPECT_EQ(effective.value_or("refused"), method.effective ? method.effective : "refused");
  }
}

TEST(AccessPolicy, LoginsFromAnotherOriginAreRefused) {
  for (const OriginCase& origin : OriginCases()) {
    for (const char* method : {"POST", "GET"}) {
      RequestFacts facts;
      facts.method = method;
      facts.path = "/api/auth/login";
      facts.origin = origin.origin;
      facts.host = origin.host;
      const AccessDecision decision = DecideLogin(facts);
      SCOPED_TRACE(std::string("Origin '") + origin.origin + "' Host '" + origin.host + "'");
      EXPECT_EQ(decision.Allowed(), !origin.another);
      EXPECT_EQ(decision.Status(), origin.another ? 403 : 200);
      EXPECT_EQ(decision.code, origin.another ? "cross_origin" : "");
      EXPECT_FALSE(decision.identity);
    }
  }
}

// A request's method, path and method overrides, nothing else.
RequestFacts FactsOf(const char* method, const char* path, const char* methodOverride = "",
                     const char* queryMethod = "") {
  RequestFacts facts;
  facts.method = method;
  facts.path = path;
  facts.methodOverride = methodOverride;
  facts.queryMethod = queryMethod;
  return facts;
}

TEST(AccessPolicy, TheFilterLetsThroughThePublicRoutesOnly) {
  const PublicRoutes routes = TablePublicRoutes();
  auto level = [&](const char* method, const char* path, const char* methodOverride = "",
                   const char* queryMethod = "") {
    return FilterAccess(FactsOf(method, path, methodOverride, queryMethod), routes);
  };
  EXPECT_EQ(level("GET", "/"), Access::kPublic);
  EXPECT_EQ(level("GET", "/ui/"), Access::kPublic);
  EXPECT_EQ(level("GET", "/ui/index.html"), Access::kPublic);
  EXPECT_EQ(level("DELETE", "/ui/index.html"), Access::kOrthanc);
  EXPECT_EQ(level("GET", "/ui/index.html", "DELETE"), Access::kOrthanc);
  EXPECT_EQ(level("GET", "/ui/index.html", "", "delete"), Access::kOrthanc);
  EXPECT_EQ(level("GET", "/ui/index.html", "PATCH"), Access::kOrthanc);
  EXPECT_EQ(level("GET", "/patients"), Access::kOrthanc);
  EXPECT_EQ(level("GET", "/app/explorer.html"), Access::kOrthanc);
  // Nothing serves it (Orthanc's icon is /app/images/favicon.ico, ours /ui/favicon.svg).
  EXPECT_EQ(level("GET", "/favicon.ico"), Access::kOrthanc);
}

// Before the front reads an upload for one of our /api routes: the public
// lines stay public, everything else needs a logged-in user (the route's
// stricter levels come after).
TEST(AccessPolicy, TheFrontsCheckOfOurApiRoutesNeedsAUserOffThePublicLines) {
  const PublicRoutes routes = TablePublicRoutes();
  auto level = [&](const char* method, const char* path, const char* methodOverride = "") {
    return ApiCheckAccess(FactsOf(method, path, methodOverride), routes);
  };
  EXPECT_EQ(level("POST", "/api/auth/login"), Access::kPublic);
  EXPECT_EQ(level("GET", "/api/health"), Access::kPublic);
  EXPECT_EQ(level("POST", "/api/health"), Access::kUser);
  EXPECT_EQ(level("POST", "/api/volume"), Access::kUser);
  EXPECT_EQ(level("PUT", "/api/volume/store"), Access::kUser);
  EXPECT_EQ(level("GET", "/api/audit"), Access::kUser);
  // An override the login does not run as is not the public login.
  EXPECT_EQ(level("POST", "/api/auth/login", "PUT"), Access::kUser);
}

TEST(AccessPolicy, AForwardedRequestIsJudgedAsTheOriginal) {
  RequestFacts check;
  check.method = "GET";
  check.path = "/api/auth/check";
  check.cookie = "mis_session=abc";
  check.authorization = "Basic eDp5";
  check.origin = kOurs;
  check.host = kHost;
  check.clientAddress = "203.0.113.7";
  check.methodOverride = "PUT";  // the check's own: not the original's
  const std::optional<RequestFacts> facts =
      FactsOfForwardedRequest(check, "POST", "/dicom-web/studies%2Fx?a=1&_method=PUT", "DELETE");
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->method, "POST");
  EXPECT_EQ(facts->path, "/dicom-web/studies/x") << "decoded, as Orthanc filters it";
  EXPECT_EQ(facts->queryMethod, "PUT");
  EXPECT_EQ(facts->methodOverride, "DELETE");
  // The original's own headers, which the check request carries.
  EXPECT_EQ(facts->cookie, check.cookie);
  EXPECT_EQ(facts->authorization, check.authorization);
  EXPECT_EQ(facts->origin, check.origin);
  EXPECT_EQ(facts->host, check.host);
  EXPECT_EQ(facts->clientAddress, check.clientAddress);
  // A GET turned into a DELETE by ?_method= is judged as the DELETE.
  const std::optional<RequestFacts> deletion =
      FactsOfForwardedRequest(RequestFacts{}, "GET", "/patients/1?_method=DELETE", "");
  ASSERT_TRUE(deletion);
  EXPECT_EQ(EffectiveMethod(*deletion), "DELETE");
  // Methods are case-sensitive; an undecodable target is refused.
  EXPECT_FALSE(EffectiveMethod(*FactsOfForwardedRequest(RequestFacts{}, "get", "/patients", "")));
  EXPECT_FALSE(FactsOfForwardedRequest(check, "GET", "/patients/%zz", ""));
  EXPECT_FALSE(FactsOfForwardedRequest(check, "GET", "/patients/%00", ""));
}

TEST(AccessPolicy, ARefusalIsAnHttpError) {
  AccessDecision decision;
  decision.verdict = AccessDecision::Verdict::kUnauthenticated;
  decision.code = "unauthenticated";
  decision.detail = "log in first";
  const HttpError error = decision.Refusal();
  EXPECT_EQ(error.Status(), 401);
  EXPECT_EQ(error.Code(), "unauthenticated");
  EXPECT_EQ(error.Detail(), "log in first");
  decision.verdict = AccessDecision::Verdict::kForbidden;
  EXPECT_EQ(decision.Refusal().Status(), 403);
  decision.verdict = AccessDecision::Verdict::kAllow;
  EXPECT_EQ(decision.Status(), 200);
  EXPECT_THROW(decision.Refusal(), std::logic_error);
}

}  // namespace
}  // namespace mis::test
