#pragma once

// One callback per route: a handler is a plain function that reads a RestRequest,
// writes a RestResponse and throws HttpError on failure. Route<Handler> turns it
// into an Orthanc REST callback with the one error path of the product.

#include <orthanc/OrthancCPlugin.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "AccessPolicy.h"
#include "ForwardedClient.h"
#include "HttpError.h"

namespace Json {
class Value;
}

namespace mis::orthanc {

class RestRequest {
 public:
  RestRequest(const char* url, const OrthancPluginHttpRequest* request, ClientConnection client)
      : url_(url), request_(request), client_(std::move(client)) {}

  const char* Url() const { return url_; }
  OrthancPluginHttpMethod Method() const { return request_->method; }
  std::string_view Body() const {
    return {static_cast<const char*>(request_->body), request_->bodySize};
  }
  // Header names are lower case (Orthanc lower-cases them); "" when absent.
  std::string Header(std::string_view lowerCaseName) const;
  // A query argument, or "" when absent.
  std::string Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
  // A query argument that must be a finite decimal number (window-center=40.5).
  // Throws HttpError 400 "bad_query" otherwise, absent included.
  double QueryRealNumber(const std::string& name) const;
  // A query argument that must be a whole number in [0, highest] (offset=20),
  // or `fallback` when absent. Throws HttpError 400 "bad_query" otherwise.
  int64_t QueryWholeNumber(const std::string& name, int64_t fallback, int64_t highest) const;
  // The capture groups of the route's regular expression.
  unsigned GroupCount() const { return request_->groupsCount; }
  std::string Group(unsigned index) const;

  // Throws MethodNotAllowed unless the request uses one of `allowed`.
  void RequireMethod(std::initializer_list<OrthancPluginHttpMethod> allowed) const;

  // Who makes the request; set by the route wrapper for authenticated routes.
  const Identity& User() const;
  AuthMethod HowAuthenticated() const { return method_; }
  void SetUser(const Identity& identity, AuthMethod method) {
    identity_ = identity;
    method_ = method;
  }
  // The client's address, as Orthanc's request filter saw it (the HTTP
  // front's X-Forwarded-For when it comes from a trusted proxy).
  const std::string& ClientAddress() const { return client_.address; }
  // Whether the client reached the HTTP front over TLS (X-Forwarded-Proto).
  bool OverHttps() const { return client_.overHttps; }
  // What the access policy decides on.
  RequestFacts Facts() const;

 private:
  const char* url_;
  const OrthancPluginHttpRequest* request_;
  ClientConnection client_;
  std::optional<Identity> identity_;
  AuthMethod method_ = AuthMethod::kNone;
};

class RestResponse {
 public:
  explicit RestResponse(OrthancPluginRestOutput* output) : output_(output) {}

  void SetHeader(const std::string& name, const std::string& value);
  void SendJson(const Json::Value& body, int status = 200);
  void SendBytes(std::string_view body, const std::string& contentType);
  void SendError(const HttpError& error);
  void SendMethodNotAllowed(const std::string& allowed);
  // For the few answers the wrapper has no helper for (redirections).
  OrthancPluginRestOutput* Output() const { return output_; }

 private:
  OrthancPluginRestOutput* output_;
};

// 405: Orthanc sends it without a body, so only the Allow header says more.
class MethodNotAllowed : public HttpError {
 public:
  explicit MethodNotAllowed(std::string allowed)
      : HttpError(405, "method_not_allowed", "allowed: " + allowed), allowed_(std::move(allowed)) {}
  const std::string& Allowed() const { return allowed_; }

 private:
  std::string allowed_;
};

// The facts the access policy decides on, from what Orthanc hands the request
// filter and the routes alike: the method (any override already applied), the
// path, the headers and the query arguments (parsed for GET only).
RequestFacts RequestFactsOf(OrthancPluginHttpMethod method, const char* path,
                            const std::string& clientAddress, uint32_t headersCount,
                            const char* const* headersKeys, const char* const* headersValues,
                            uint32_t argumentsCount, const char* const* argumentsKeys,
                            const char* const* argumentsValues);

using RouteHandler = void (*)(const RestRequest&, RestResponse&);

// Asks the access policy (DecideAccess) with the route's level, runs the
// handler; every exception becomes a JSON error answer. Unauthenticated calls
// get 401 JSON, refused ones 403.
OrthancPluginErrorCode InvokeRoute(RouteHandler handler, Access access,
                                   OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request);

template <RouteHandler handler, Access access>
OrthancPluginErrorCode Route(OrthancPluginRestOutput* output, const char* url,
                             const OrthancPluginHttpRequest* request) {
  return InvokeRoute(handler, access, output, url, request);
}

// One line of the route table (Plugin.cpp): the path's regular expression as
// Orthanc matches it, the callback, who may call it and, for a public route,
// the method it is public for (the request filter lets only that one through
// without credentials; the handler answers 405 to others).
struct RouteEntry {
  std::string pattern;
  OrthancPluginRestCallback callback;
  Access access;
  std::string publicMethod;
};

template <RouteHandler handler, Access access = Access::kUser>
RouteEntry Entry(std::string pattern) {
  static_assert(access == Access::kUser || access == Access::kAdmin,
                "public routes are PublicEntry; kOrthanc is for Orthanc's own routes");
  return RouteEntry{std::move(pattern), Route<handler, access>, access, ""};
}

template <RouteHandler handler>
RouteEntry PublicEntry(std::string pattern, std::string method) {
  return RouteEntry{std::move(pattern), Route<handler, Access::kPublic>, Access::kPublic,
                    std::move(method)};
}

// The public lines of a route table, for the request filter.
PublicRoutes PublicRoutesOf(const std::vector<RouteEntry>& table);

// `parallel` routes run concurrently (RegisterRestCallbackNoLock); the others
// are serialised by Orthanc.
void RegisterRoute(const std::string& regex, OrthancPluginRestCallback callback, bool parallel);

}  // namespace mis::orthanc
