#include "AccessPolicy.h"

#include <stdexcept>

#include "AsciiText.h"
#include "RequestPolicy.h"
#include "UriComponents.h"

namespace mis {
namespace {

AccessDecision Refuse(AccessDecision::Verdict verdict, std::string code, std::string detail) {
  AccessDecision decision;
  decision.verdict = verdict;
  decision.code = std::move(code);
  decision.detail = std::move(detail);
  return decision;
}

// Whether X-HTTP-Method-Override or ?_method= named `effective`, the method
// the request runs as (Orthanc reports a GET with either as the method named).
bool NamedByOverride(const RequestFacts& facts, const std::string& effective) {
  return !facts.methodOverride.empty() ||
         (!facts.queryMethod.empty() && ToUpperAscii(facts.queryMethod) == effective);
}

// Whether the route table makes the request public, for the method it runs as.
bool IsPublic(const RequestFacts& facts, const PublicRoutes& publicRoutes) {
  const std::optional<std::string> method = EffectiveMethod(facts);
  return method && publicRoutes.Contains(*method, facts.path);
}

}  // namespace

int AccessDecision::Status() const {
  switch (verdict) {
    case Verdict::kAllow: return 200;
    case Verdict::kUnauthenticated: return 401;
    case Verdict::kForbidden: return 403;
  }
  return 403;
}

HttpError AccessDecision::Refusal() const {
  if (Allowed()) throw std::logic_error("an allowed request has no refusal");
  return HttpError(Status(), code, detail);
}

std::optional<std::string> EffectiveMethod(const RequestFacts& facts) {
  // Orthanc ignores ?_method= when the header is present but empty; here an
  // empty header is an absent one, which can only make a GET stricter.
  std::string named = facts.methodOverride;
  if (named.empty() && facts.method == "GET") named = facts.queryMethod;
  if (!named.empty()) {
    named = ToUpperAscii(named);
    if (named == "PUT" || named == "DELETE") return named;
    return std::nullopt;
  }
  for (const char* known : {"GET", "POST", "PUT", "DELETE"}) {
    if (facts.method == known) return facts.method;
  }
  return std::nullopt;
}

AccessDecision DecideAccess(const RequestFacts& facts, Access access, CredentialVerifier& verifier) {
  using Verdict = AccessDecision::Verdict;
  const std::optional<std::string> method = EffectiveMethod(facts);
  if (!method) {
    // Orthanc refuses these itself; a method we cannot name is never allowed.
    return Refuse(Verdict::kForbidden, "method_override",
                  "only PUT and DELETE may be named by X-HTTP-Method-Override or _method");
  }
  if (access == Access::kPublic) {
    AccessDecision decision;
    decision.verdict = Verdict::kAllow;
    decision.effectiveMethod = *method;
    return decision;
  }

  const Credentials credentials = ParseCredentials(facts.cookie, facts.authorization);
  AuthMethod how = AuthMethod::kNone;
  const std::optional<Identity> identity =
      verifier.Authenticate(credentials, facts.clientAddress, &how);
  if (!identity) {
    return Refuse(Verdict::kUnauthenticated, "unauthenticated",
                  "log in first (session expired or no credentials)");
  }
  // A same-site <img src="/patients/x?_method=DELETE"> sends the cookie and
  // no Origin (a GET): with a cookie, a change must come as its own method.
  if (how == AuthMethod::kSession && IsStateChanging(*method) && NamedByOverride(facts, *method)) {
    return Refuse(Verdict::kForbidden, "method_override",
                  "with a session cookie, send the method itself: X-HTTP-Method-Override and "
                  "_method cannot name a change");
  }
  // Browsers send cookies with cross-site requests; tokens and passwords
  // must be put in by the page itself.
  if (how == AuthMethod::kSession && IsStateChanging(*method) &&
      IsCrossOrigin(facts.origin, facts.host)) {
    return Refuse(Verdict::kForbidden, "cross_origin",
                  "state-changing requests from another origin are refused");
  }
  const bool forAdministrators =
      access == Access::kAdmin ||
      (access == Access::kOrthanc && !IsOpenToEveryUser(*method, facts.path));
  if (forAdministrators && !identity->IsAdmin()) {
    return Refuse(Verdict::kForbidden, "forbidden",
                  access == Access::kAdmin ? "this route is for administrators"
                                           : "this change is for administrators");
  }

  AccessDecision decision;
  decision.verdict = Verdict::kAllow;
  decision.identity = identity;
  decision.authenticatedBy = how;
  decision.effectiveMethod = *method;
  return decision;
}

AccessDecision DecideLogin(const RequestFacts& facts) {
  if (IsCrossOrigin(facts.origin, facts.host)) {
    return Refuse(AccessDecision::Verdict::kForbidden, "cross_origin",
                  "logins from another origin are refused");
  }
  AccessDecision decision;
  decision.verdict = AccessDecision::Verdict::kAllow;
  decision.effectiveMethod = EffectiveMethod(facts).value_or("");
  return decision;
}

std::optional<RequestFacts> FactsOfForwardedRequest(const RequestFacts& check,
                                                    std::string_view originalMethod,
                                                    std::string_view originalTarget,
                                                    std::string_view originalOverride) {
  // Orthanc matches and filters the decoded path.
  const std::optional<std::string> path = PercentDecode(PathOf(originalTarget));
  if (!path) return std::nullopt;
  RequestFacts facts = check;
  facts.method = std::string(originalMethod);  // methods are case-sensitive (RFC 9110 §9.1)
  facts.path = *path;
  facts.methodOverride = std::string(originalOverride);
  // Orthanc reads ?_method= on GET only; EffectiveMethod applies that rule.
  facts.queryMethod = QueryArgument(originalTarget, "_method");
  return facts;
}

Access FilterAccess(const RequestFacts& facts, const PublicRoutes& publicRoutes) {
  return IsPublic(facts, publicRoutes) ? Access::kPublic : Access::kOrthanc;
}

Access ApiCheckAccess(const RequestFacts& facts, const PublicRoutes& publicRoutes) {
  return IsPublic(facts, publicRoutes) ? Access::kPublic : Access::kUser;
}

}  // namespace mis
