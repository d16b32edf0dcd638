#include "CommandLine.h"

#include <json/reader.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace mis::test {

CommandResult RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen: " + std::string(std::strerror(errno)));
  CommandResult result;
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, read);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  return result;
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

HttpResponse RunCurl(const std::string& arguments) {
  // The body, then a line curl's answers cannot hold, the status and the
  // headers of the last answer as JSON (--write-out, curl 7.83 and later).
  constexpr const char* kSeparator = "\n--mis-curl-write-out--\n";
  const CommandResult result = RunCommand(
      "curl --silent --show-error --noproxy '*' --max-time 60 --write-out " +
      ShellQuote(std::string(kSeparator) + "%{http_code}\n%{header_json}") + " " + arguments);
  if (result.exitCode != 0) {
    throw std::runtime_error("curl failed (status " + std::to_string(result.exitCode) +
                             "): " + result.output);
  }
  const size_t separator = result.output.rfind(kSeparator);
  if (separator == std::string::npos) throw std::runtime_error("no curl --write-out output");
  HttpResponse response;
  response.body = result.output.substr(0, separator);
  std::istringstream written(result.output.substr(separator + std::strlen(kSeparator)));
  written >> response.status;
  Json::Value headers;
  Json::CharReaderBuilder reader;
  std::string errors;
  if (!Json::parseFromStream(reader, written, &headers, &errors) || !headers.isObject()) {
    throw std::runtime_error("curl's headers are not JSON: " + errors);
  }
  for (const std::string& name : headers.getMemberNames()) {  // already lower-case
    for (const Json::Value& value : headers[name]) response.headers.emplace(name, value.asString());
  }
  return response;
}

}  // namespace mis::test
