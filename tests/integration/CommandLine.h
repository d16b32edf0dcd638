#pragma once

#include <string>

namespace mis::test {

struct CommandResult {
  int exitCode = -1;   // -1 if the command did not exit normally
  std::string output;  // its stdout
};

// Runs `command` with /bin/sh (popen) and collects its stdout.
CommandResult RunCommand(const std::string& command);

// `text` as one single-quoted shell word.
std::string ShellQuote(const std::string& text);

}  // namespace mis::test
