#include "AuthRoutes.h"

#include <json/value.h>

#include <memory>

#include "AuthService.h"
#include "HttpCredentials.h"
#include "JsonText.h"
#include "PluginState.h"

namespace mis::orthanc {
namespace {

// Large enough for 10 KB names or passwords (refused cleanly as wrong), small
// enough that nobody can make us parse megabytes of JSON before logging in.
constexpr size_t kMaxLoginBodyBytes = 64 * 1024;

std::string CookieAttributes() {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") +
         (GetPluginConfiguration().secureCookies ? "; Secure" : "");
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
                                           outcome.sessionToken + CookieAttributes());
      response.SetHeader("Cache-Control", "no-store");
      Json::Value body(Json::objectValue);
      body["username"] = outcome.identity.name;
      body["role"] = outcome.identity.role;
      response.SendJson(body);
      return;
    }
    case LoginOutcome::Status::kRateLimited: {
      // Orthanc 1.10 cannot send 429 (not in its status table): 503 with
      // Retry-After is the standard "come back later".
      response.SetHeader("Retry-After", std::to_string(outcome.retryAfterSeconds));
      Json::Value body(Json::objectValue);
      body["error"] = "too_many_attempts";
      body["detail"] = "too many failed logins: try again in " +
                       std::to_string(outcome.retryAfterSeconds) + " s";
      body["retry_after_seconds"] = Json::Int64(outcome.retryAfterSeconds);
      response.SendJson(body, 503);
      return;
    }
    case LoginOutcome::Status::kInvalid:
      throw HttpError(401, "invalid_credentials", "wrong user name or password");
  }
}

void HandleLogout(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Post});
  const std::string token = CookieValue(request.Header("cookie"), kSessionCookieName);
  if (!token.empty()) GetAuthenticator().Logout(token, request.ClientAddress());
  response.SetHeader("Set-Cookie", std::string(kSessionCookieName) + "=" + CookieAttributes() +
                                       "; Max-Age=0");
  Json::Value body(Json::objectValue);
  body["status"] = "logged_out";
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
