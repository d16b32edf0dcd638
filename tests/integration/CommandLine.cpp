#include "CommandLine.h"

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
  // The body, then "<status> <content type>" on a line of its own (--write-out).
  const CommandResult result = RunCommand(
      "curl --silent --show-error --noproxy '*' --max-time 60 "
      "--write-out '\\n%{http_code} %{content_type}' " +
      arguments);
  if (result.exitCode != 0) {
    throw std::runtime_error("curl failed (status " + std::to_string(result.exitCode) +
                             "): " + result.output);
  }
  const size_t lastLine = result.output.rfind('\n');
  if (lastLine == std::string::npos) throw std::runtime_error("no curl status line");
  HttpResponse response;
  response.body = result.output.substr(0, lastLine);
  std::istringstream statusLine(result.output.substr(lastLine + 1));
  std::string contentType;
  statusLine >> response.status;
  std::getline(statusLine >> std::ws, contentType);
  response.headers.emplace("content-type", contentType);
  return response;
}

}  // namespace mis::test
