#include "AuthRoutes.h"

#include <json/value.h>

#include <memory>

#include "AuthService.h"
#include "HttpCredentials.h"
#include "IncomingRequestFilter.h"
#include "JsonText.h"
#include "PluginState.h"

namespace mis::orthanc {
namespace {

// Large enough for 10 KB names or passwords (refused cleanly as wrong), small
// enough that nobody can make us parse megabytes of JSON before logging in.
constexpr size_t kMaxLoginBodyBytes = 64 * 1024;

// Secure when the deployment says so, or when this client reached the HTTP
// front over TLS (then the browser sends the cookie back over TLS only).
std::string CookieAttributes(const RestRequest& request) {
  const bool secure = GetPluginConfiguration().secureCookies || request.OverHttps();
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

const char* MethodLabel(AuthMethod method) {
  switch (method) {
    case AuthMethod::kSession: return "session";
    case AuthMethod::kBearer: return "bearer";
    case AuthMethod::kBasic: return "basic";
    default: return "none";
  }
}

Json::Value ParseLoginBody(const RestRequest& request) {
  const std::string_view body = request.Body();
  if (body.size() > kMaxLoginBodyBytes) {
    throw HttpError(413, "body_too_large", "the login body is limited to 64 KiB",
                    {{"limit_bytes", kMaxLoginBodyBytes}});
  }
  Json::Value json;
  std::string errors;
  if (!ReadJsonText(body, json, errors) || !json.isObject() ||
      !json["username"].isString() || !json["password"].isString()) {
    throw HttpError(400, "bad_request",
                    "send JSON {\"username\": \"...\", \"password\": \"...\"}");
  }
  return json;
}

}  // namespace

void HandleLogin(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Post});
  // A login form posted from another site must not log a browser in (login CSRF).
  const AccessDecision origin = DecideLogin(request.Facts());
  if (!origin.Allowed()) throw origin.Refusal();
  const Json::Value credentials = ParseLoginBody(request);
  const LoginOutcome outcome = GetAuthenticator().Login(
      credentials["username"].asString(), credentials["password"].asString(),
      request.ClientAddress());

  switch (outcome.status) {
    case LoginOutcome::Status::kOk: {
      response.SetHeader("Set-Cookie", std::string(kSessionCookieName) + "=" +
                                           outcome.sessionToken + CookieAttributes(request));
      response.SetHeader("Cache-Control", "no-store");
      Json::Value body(Json::objectValue);
      body["username"] = outcome.identity.name;
      body["role"] = outcome.identity.role;
      response.SendJson(body);
      return;
    }
    case LoginOutcome::Status::kRateLimited:
      throw HttpError(429, "too_many_attempts",
                      "too many failed logins: try again in " +
                          std::to_string(outcome.retryAfterSeconds) + " s",
                      {{"retry_after_seconds", static_cast<uint64_t>(outcome.retryAfterSeconds)}});
    case LoginOutcome::Status::kInvalid:
      throw HttpError(401, "invalid_credentials", "wrong user name or password");
  }
}

void HandleLogout(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Post});
  const std::string token = CookieValue(request.Header("cookie"), kSessionCookieName);
  if (!token.empty()) GetAuthenticator().Logout(token, request.ClientAddress());
  response.SetHeader("Set-Cookie", std::string(kSessionCookieName) + "=" + CookieAttributes(request) +
                                       "; Max-Age=0");
  Json::Value body(Json::objectValue);
  body["status"] = "logged_out";
  response.SendJson(body);
}

void HandleAccessCheck(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  response.SetHeader("Cache-Control", "no-store");
  const std::optional<RequestFacts> facts = FactsOfForwardedRequest(
      request.Facts(), request.Header("x-original-method"), request.Header("x-original-uri"),
      request.Header("x-original-method-override"));
  if (!facts) throw HttpError(403, "bad_target", "the request target does not decode");
  // Our /api routes answer for themselves once reached; the check tells the
  // front whether to read a body for them at all.
  const bool ours = IsOurApiPath(facts->path);
  const AccessDecision decision = ours ? DecideBeforeOurApiRoute(*facts) : DecideAsTheFilter(*facts);
  if (decision.verdict == AccessDecision::Verdict::kUnauthenticated) {
    // Clients of Orthanc's REST API and DICOMweb send a password only once
    // challenged for one (Basic); our /api routes challenge as they do
    // themselves (Bearer).
    response.SetHeader("WWW-Authenticate", ours ? kBearerChallenge : kBasicChallenge);
    Json::Value refusal(Json::objectValue);
    refusal["error"] = decision.code;
    refusal["detail"] = decision.detail;
    response.SendJson(refusal, 401);
    return;
  }
  if (!decision.Allowed()) throw decision.Refusal();
  Json::Value body(Json::objectValue);
  body["allowed"] = true;
  response.SendJson(body);
}

void HandleMe(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  response.SetHeader("Cache-Control", "no-store");
  Json::Value body(Json::objectValue);
  body["username"] = request.User().name;
  body["role"] = request.User().role;
  body["authenticated_by"] = MethodLabel(request.HowAuthenticated());
  response.SendJson(body);
}

}  // namespace mis::orthanc
