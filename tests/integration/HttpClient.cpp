#include "HttpClient.h"

#include <curl/curl.h>
#include <json/reader.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace mis::test {
namespace {

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

size_t AppendBody(char* data, size_t size, size_t count, void* response) {
  static_cast<HttpResponse*>(response)->body.append(data, size * count);
  return size * count;
}

size_t AppendHeader(char* data, size_t size, size_t count, void* response) {
  auto* answer = static_cast<HttpResponse*>(response);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    answer->headers.clear();  // a new status line, e.g. after "100 Continue"
  } else if (const auto colon = line.find(':'); colon != std::string::npos) {
    answer->headers.emplace(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  }
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

std::vector<std::string> HttpResponse::HeaderValues(const std::string& name) const {
  std::vector<std::string> values;
  const auto [first, last] = headers.equal_range(name);
  for (auto it = first; it != last; ++it) values.push_back(it->second);
  return values;
}

Json::Value HttpResponse::Json() const {
  Json::CharReaderBuilder builder;
  const std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  Json::Value value;
  std::string errors;
  if (!reader->parse(body.data(), body.data() + body.size(), &value, &errors)) {
    throw std::runtime_error("the answer (HTTP " + std::to_string(status) +
                             ") is not JSON: " + errors + "; body: " + body.substr(0, 500));
  }
  return value;
}

HttpClient::HttpClient(std::string baseUrl, std::chrono::milliseconds timeout)
    : baseUrl_(std::move(baseUrl)), timeout_(timeout) {
  InitializeCurlOnce();
}

HttpClient HttpClient::WithBasicAuth(const std::string& user, const std::string& password) const {
  HttpClient copy = *this;
  copy.basicCredentials_ = user + ":" + password;
  return copy;
}

HttpClient HttpClient::Anonymous() const {
  HttpClient copy = *this;
  copy.basicCredentials_.clear();
  return copy;
}

HttpClient HttpClient::FromAddress(const std::string& address) const {
  HttpClient copy = *this;
  copy.sourceAddress_ = address;
  return copy;
}

HttpResponse HttpClient::Request(const std::string& method, const std::string& path,
                                 const HttpHeaders& headers, const std::string& body) const {
  const std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) throw std::runtime_error("curl_easy_init failed");
  CURL* curl = handle.get();

  HttpResponse response;
  const std::string url = baseUrl_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // required with threads
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  const std::string interface = "host!" + sourceAddress_;
  if (!sourceAddress_.empty()) curl_easy_setopt(curl, CURLOPT_INTERFACE, interface.c_str());
  if (!basicCredentials_.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERPWD, basicCredentials_.c_str());
  }

  bool hasContentType = false;
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) {
    hasContentType = hasContentType || Lower(name) == "content-type";
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  const bool sendsBody = !body.empty() || method == "POST" || method == "PUT";
  if (sendsBody && !hasContentType) {
    list = curl_slist_append(list, "Content-Type:");  // no libcurl default
  }
  const std::unique_ptr<curl_slist, CurlDeleter> headerList(list);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);

  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "GET" || sendsBody) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (sendsBody) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  }

  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(code));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

HttpResponse HttpClient::Post(const std::string& path, const std::string& body,
                              const std::string& contentType, const HttpHeaders& headers) const {
  HttpHeaders all = headers;
  all.emplace_back("Content-Type", contentType);
  return Request("POST", path, all, body);
}

HttpResponse HttpClient::Put(const std::string& path, const std::string& body,
                             const std::string& contentType, const HttpHeaders& headers) const {
  HttpHeaders all = headers;
  all.emplace_back("Content-Type", contentType);
  return Request("PUT", path, all, body);
}

}  // namespace mis::test
