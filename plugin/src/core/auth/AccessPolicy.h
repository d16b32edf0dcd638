#pragma once

// The one access decision of the product (README, "Users and logging in"):
// Orthanc's request filter and our route wrapper both ask it, and only turn
// its answer into Orthanc's terms.

#include <optional>
#include <string>
#include <string_view>

#include "CredentialVerifier.h"
#include "HttpError.h"
#include "PublicRoutes.h"
#include "UserStore.h"

namespace mis {

// Who may call a route: the column of the route table.
enum class Access {
  kPublic,  // anyone, without credentials
  kUser,    // any logged-in user
  kAdmin,   // administrators only
  // Orthanc's own routes (REST API, DICOMweb, Explorer): any logged-in user
  // for reading, searching and sending images (IsOpenToEveryUser), only
  // administrators for every other change.
  kOrthanc,
};

// What a request says about itself, as Orthanc hands it to the request filter
// or to a route. Header values are "" when the header is absent.
struct RequestFacts {
  std::string method;          // as Orthanc reports it: "GET", "POST", "PUT" or "DELETE"
  std::string methodOverride;  // the X-HTTP-Method-Override header
  std::string queryMethod;     // the query argument _method
  std::string path;            // the URI's path, without the query
  std::string cookie;
  std::string authorization;
  std::string origin;
  std::string host;
  std::string clientAddress;
};

struct AccessDecision {
  enum class Verdict { kAllow, kUnauthenticated, kForbidden };

  Verdict verdict = Verdict::kForbidden;
  // For a refusal: a stable code for clients and a sentence for people.
  std::string code;
  std::string detail;
  // Who makes the request and how they proved it; empty on public routes,
  // which never look at credentials.
  std::optional<Identity> identity;
  AuthMethod authenticatedBy = AuthMethod::kNone;
  // The method the request runs as (after X-HTTP-Method-Override or
  // ?_method=); "" when it names none that Orthanc runs.
  std::string effectiveMethod;

  bool Allowed() const { return verdict == Verdict::kAllow; }
  // 401 for kUnauthenticated, 403 for kForbidden, 200 for kAllow.
  int Status() const;
  // The refusal as the product's one error type (HttpError{Status(), code,
  // detail}); throws std::logic_error when the request is allowed.
  HttpError Refusal() const;
};

// The method Orthanc runs a request as. Orthanc (its HTTP server's
// ExtractMethod) lets X-HTTP-Method-Override name PUT or DELETE on any
// request and ?_method= do the same on a GET without that header, in any
// case, and refuses other names. The method Orthanc reports has this applied
// already; applying it again changes nothing. Returns nullopt for a name
// Orthanc refuses or a method other than GET, POST, PUT and DELETE.
std::optional<std::string> EffectiveMethod(const RequestFacts& facts);

// Whether the request may go on, who makes it and how they authenticated.
// In this order:
//   1. a method EffectiveMethod does not name: 403 "method_override";
//   2. kPublic: allowed, credentials are not looked at;
//   3. no valid session cookie, bearer token (RFC 6750) or HTTP Basic pair
//      (RFC 7617), as `verifier` judges them: 401 "unauthenticated";
//   4. a session cookie on a PUT or DELETE named by X-HTTP-Method-Override
//      or ?_method=: 403 "method_override" (a same-site <img> or link sends
//      the cookie with a GET and no Origin);
//   5. a session cookie on a POST, PUT or DELETE whose Origin names another
//      origin than the Host (RFC 6454; IsCrossOrigin): 403 "cross_origin"
//      (cookies ride along on cross-site requests; tokens and passwords do not);
//   6. kAdmin, or kOrthanc for a change other than IsOpenToEveryUser's, by a
//      user who is not an administrator: 403 "forbidden".
// Otherwise allowed. Throws what `verifier` throws (StorageUnavailable when
// the users database cannot be read).
AccessDecision DecideAccess(const RequestFacts& facts, Access access, CredentialVerifier& verifier);

// The login's own rule: anyone may log in, but not from a page of another
// origin (RFC 6454), which could log a browser in as someone else (login
// CSRF): 403 "cross_origin". No Origin (curl, scripts) is not another origin.
AccessDecision DecideLogin(const RequestFacts& facts);

// The facts of the request an HTTP front asks about before forwarding it
// (nginx's auth_request): the credentials, Origin, Host and client of the
// check request `check`, which carries the original request's headers, with
// the method, the request target (path and query, as sent, RFC 9112 §3.2) and
// the X-HTTP-Method-Override the front names. nullopt when the target's path
// does not decode (a malformed %-escape), which Orthanc would not serve either.
std::optional<RequestFacts> FactsOfForwardedRequest(const RequestFacts& check,
                                                    std::string_view originalMethod,
                                                    std::string_view originalTarget,
                                                    std::string_view originalOverride);

// The level the request filter applies to a request for a route outside our
// /api routes (which answer for themselves): kPublic when `publicRoutes`
// holds it (for its effective method), else kOrthanc.
Access FilterAccess(const RequestFacts& facts, const PublicRoutes& publicRoutes);

// The level the HTTP front's access check (GET /api/auth/check) applies to a
// request for one of our /api routes before the front reads its body:
// kPublic when `publicRoutes` holds it (for its effective method), else kUser.
// The route applies its own level (kAdmin for some) once the request reaches
// it; the check only spares Orthanc the body of a request without valid
// credentials.
Access ApiCheckAccess(const RequestFacts& facts, const PublicRoutes& publicRoutes);

}  // namespace mis
