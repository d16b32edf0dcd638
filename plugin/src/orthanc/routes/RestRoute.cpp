#include "RestRoute.h"

#include <json/value.h>

#include <algorithm>
#include <cmath>

#include "AuthService.h"
#include "ClientHandoff.h"
#include "JsonText.h"
#include "OrthancApi.h"
#include "StorageUnavailable.h"

namespace mis::orthanc {
namespace {

// The statuses Orthanc 1.10 can send: any other makes it drop the connection.
int SendableStatus(int status) {
  switch (status) {
    case 400: case 401: case 403: case 404: case 409: case 413: case 415: case 422:
    case 500: case 503:
      return status;
    // Not in Orthanc 1.10's table: "come back later" is 503 with Retry-After,
    // and X-Intended-Status tells the HTTP front to send 429 instead.
    case 429:
      return 503;
    default:
      return status >= 500 ? 500 : 400;
  }
}

void Authenticate(RestRequest& request, Access access) {
  const AccessDecision decision = DecideAccess(request.Facts(), access, GetAuthenticator());
  if (!decision.Allowed()) throw decision.Refusal();
  if (decision.identity) request.SetUser(*decision.identity, decision.authenticatedBy);
}

}  // namespace

const Identity& RestRequest::User() const {
  if (!identity_) throw std::logic_error("route used without authentication");
  return *identity_;
}

RequestFacts RequestFactsOf(OrthancPluginHttpMethod method, const char* path,
                            const std::string& clientAddress, uint32_t headersCount,
                            const char* const* headersKeys, const char* const* headersValues,
                            uint32_t argumentsCount, const char* const* argumentsKeys,
                            const char* const* argumentsValues) {
  const auto header = [&](std::string_view name) {
    const char* value = ValueOf(name, headersCount, headersKeys, headersValues);
    return std::string(value != nullptr ? value : "");
  };
  const char* queryMethod = ValueOf("_method", argumentsCount, argumentsKeys, argumentsValues);
  RequestFacts facts;
  facts.method = MethodName(method);
  facts.methodOverride = header("x-http-method-override");
  facts.queryMethod = queryMethod != nullptr ? queryMethod : "";
  facts.path = path;
  facts.cookie = header("cookie");
  facts.authorization = header("authorization");
  facts.origin = header("origin");
  facts.host = header("host");
  facts.clientAddress = clientAddress;
  return facts;
}

RequestFacts RestRequest::Facts() const {
  return RequestFactsOf(Method(), url_, ClientAddress(), request_->headersCount,
                        request_->headersKeys, request_->headersValues, request_->getCount,
                        request_->getKeys, request_->getValues);
}

std::string RestRequest::Header(std::string_view lowerCaseName) const {
  const char* value = ValueOf(lowerCaseName, request_->headersCount, request_->headersKeys,
                              request_->headersValues);
  return value != nullptr ? value : "";
}

std::string RestRequest::Query(std::string_view name) const {
  const char* value = ValueOf(name, request_->getCount, request_->getKeys, request_->getValues);
  return value != nullptr ? value : "";
}

bool RestRequest::HasQuery(std::string_view name) const {
  return ValueOf(name, request_->getCount, request_->getKeys, request_->getValues) != nullptr;
}

double RestRequest::QueryRealNumber(const std::string& name) const {
  const std::string text = Query(name);
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  throw HttpError(400, "bad_query", name + " must be a number, got \"" + text + "\"");
}

int64_t RestRequest::QueryWholeNumber(const std::string& name, int64_t fallback,
                                      int64_t highest) const {
  if (!HasQuery(name)) return fallback;
  try {
    size_t used = 0;
    const std::string text = Query(name);
    const long long value = std::stoll(text, &used);
    if (used == text.size() && value >= 0 && value <= highest) return value;
  } catch (const std::exception&) {
  }
  throw HttpError(400, "bad_query",
                  name + " must be a whole number from 0 to " + std::to_string(highest));
}

std::string RestRequest::Group(unsigned index) const {
  if (index >= request_->groupsCount) throw std::out_of_range("no such route group");
  return request_->groups[index];
}

void RestRequest::RequireMethod(std::initializer_list<OrthancPluginHttpMethod> allowed) const {
  if (std::find(allowed.begin(), allowed.end(), request_->method) != allowed.end()) return;
  std::string names;
  for (OrthancPluginHttpMethod method : allowed) {
    names += names.empty() ? "" : ",";
    names += MethodName(method);
  }
  throw MethodNotAllowed(names);
}

void RestResponse::SetHeader(const std::string& name, const std::string& value) {
  OrthancPluginSetHttpHeader(Context(), output_, name.c_str(), value.c_str());
}

void RestResponse::SendJson(const Json::Value& body, int status) {
  const std::string text = WriteJsonText(body);
  if (status == 200) {
    OrthancPluginAnswerBuffer(Context(), output_, text.data(), text.size(), "application/json");
  } else {
    // Orthanc sets no Content-Type on error answers: say it is JSON ourselves.
    SetHeader("Content-Type", "application/json");
    OrthancPluginSendHttpStatus(Context(), output_, static_cast<uint16_t>(SendableStatus(status)),
                                text.data(), text.size());
  }
}

void RestResponse::SendBytes(std::string_view body, const std::string& contentType) {
  OrthancPluginAnswerBuffer(Context(), output_, body.data(), body.size(), contentType.c_str());
}

void RestResponse::SendError(const HttpError& error) {
  if (error.Status() == 401) SetHeader("WWW-Authenticate", kBearerChallenge);
  if (error.Status() == 429) {
    SetHeader("X-Intended-Status", "429");
    for (const ErrorFigure& figure : error.Figures()) {
      if (figure.name == "retry_after_seconds") SetHeader("Retry-After", std::to_string(figure.value));
    }
  }
  Json::Value body(Json::objectValue);
  for (const ErrorFigure& figure : error.Figures()) {
    body[figure.name] = Json::UInt64(figure.value);
  }
  // Last, so that no figure can take the place of the code or the detail.
  body["error"] = error.Code();
  body["detail"] = error.Detail();
  SendJson(body, error.Status());
}

void RestResponse::SendMethodNotAllowed(const std::string& allowed) {
  OrthancPluginSendMethodNotAllowed(Context(), output_, allowed.c_str());
}

OrthancPluginErrorCode InvokeRoute(RouteHandler handler, Access access,
                                   OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request) {
  RestResponse response(output);
  const char* routeName = url;
  try {
    RestRequest restRequest(url, request, TakeUpClient());
    Authenticate(restRequest, access);
    handler(restRequest, response);
    return OrthancPluginErrorCode_Success;
  } catch (const MethodNotAllowed& error) {
    response.SendMethodNotAllowed(error.Allowed());
  } catch (const HttpError& error) {
    if (error.Status() >= 500) LogError(std::string(routeName) + ": " + error.Detail());
    response.SendError(error);
  } catch (const StorageUnavailable& error) {
    LogError(std::string(routeName) + ": " + error.what());
    response.SetHeader("Retry-After", "30");
    response.SendError(HttpError(503, "database_unavailable",
                                 "the users database cannot be written (disk full or I/O "
                                 "error); nothing was done, try later"));
  } catch (const std::bad_alloc&) {
    LogError(std::string(routeName) + ": out of memory");
    response.SendError(HttpError(503, "out_of_memory", "the server is out of memory, try later"));
  } catch (const std::exception& error) {
    LogError(std::string(routeName) + ": " + error.what());
    response.SendError(HttpError(500, "internal_error", "unexpected server error"));
  } catch (...) {
    LogError(std::string(routeName) + ": unknown exception");
    response.SendError(HttpError(500, "internal_error", "unexpected server error"));
  }
  return OrthancPluginErrorCode_Success;
}

PublicRoutes PublicRoutesOf(const std::vector<RouteEntry>& table) {
  std::vector<PublicRoutes::Route> routes;
  for (const RouteEntry& entry : table) {
    if (entry.access == Access::kPublic) routes.push_back({entry.pattern, entry.publicMethod});
  }
  return PublicRoutes(routes);
}

void RegisterRoute(const std::string& regex, OrthancPluginRestCallback callback, bool parallel) {
  if (parallel) {
    OrthancPluginRegisterRestCallbackNoLock(Context(), regex.c_str(), callback);
  } else {
    OrthancPluginRegisterRestCallback(Context(), regex.c_str(), callback);
  }
}

}  // namespace mis::orthanc
