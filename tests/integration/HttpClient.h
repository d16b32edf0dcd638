#pragma once

#include <json/value.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mis::test {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The first value of a header ("" if absent); `name` in lower case.
  std::string Header(const std::string& name) const;
  bool HasHeader(const std::string& name) const { return headers.count(name) > 0; }
  // Every value of a header, e.g. several Set-Cookie.
  std::vector<std::string> HeaderValues(const std::string& name) const;
  // The body parsed as JSON; throws std::runtime_error if it is not JSON.
  Json::Value Json() const;
};

// A minimal HTTP/1.1 client over libcurl. Each request uses its own handle, so
// one client can be shared by threads. No proxy, no redirects followed, no
// default Content-Type: the test says exactly what is sent.
class HttpClient {
 public:
  explicit HttpClient(std::string baseUrl,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

  // The same client, sending HTTP Basic credentials (encoded by libcurl) with
  // every request.
  HttpClient WithBasicAuth(const std::string& user, const std::string& password) const;
  // The same client without credentials.
  HttpClient Anonymous() const;
  // The same client, connecting from `address` (another loopback address,
  // 127.0.0.2, ...): a second user's machine, for what counts per client.
  HttpClient FromAddress(const std::string& address) const;

  // `path` is appended to the base URL (e.g. "/api/volume?store=true").
  // Throws std::runtime_error when no HTTP answer arrives (refused, timeout).
  HttpResponse Request(const std::string& method, const std::string& path,
                       const HttpHeaders& headers = {}, const std::string& body = {}) const;

  HttpResponse Get(const std::string& path, const HttpHeaders& headers = {}) const {
    return Request("GET", path, headers);
  }
  HttpResponse Post(const std::string& path, const std::string& body,
                    const std::string& contentType, const HttpHeaders& headers = {}) const;
  HttpResponse Put(const std::string& path, const std::string& body,
                   const std::string& contentType, const HttpHeaders& headers = {}) const;

  const std::string& BaseUrl() const { return baseUrl_; }

 private:
  std::string baseUrl_;
  std::chrono::milliseconds timeout_;
  std::string basicCredentials_;  // "user:password", or empty
  std::string sourceAddress_;     // the local address to connect from, or empty
};

}  // namespace mis::test
