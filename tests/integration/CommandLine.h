#pragma once

#include <string>

#include "HttpClient.h"

namespace mis::test {

struct CommandResult {
  int exitCode = -1;   // -1 if the command did not exit normally
  std::string output;  // its stdout
};

// Runs `command` with /bin/sh (popen) and collects its stdout.
CommandResult RunCommand(const std::string& command);

// `text` as one single-quoted shell word.
std::string ShellQuote(const std::string& text);

// Runs curl (a client none of us wrote) with `arguments` (options and URL,
// shell words), at most 60 s, and returns its (last) answer: the status, the
// headers and the body. Throws when curl gets no answer.
HttpResponse RunCurl(const std::string& arguments);

}  // namespace mis::test
