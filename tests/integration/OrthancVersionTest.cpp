// What differs between the two Orthanc lines we support: 1.10.1 (Debian 12)
// and 1.12.7 (Debian 13). Each test finds the running version from GET
// /system and asserts the behaviour that version must show.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <tuple>

#include "OrthancServer.h"

namespace mis::test {
namespace {

std::tuple<int, int, int> ParseVersion(const std::string& text) {
  int major = 0, minor = 0, revision = 0;
  char dot = 0;
  std::istringstream(text) >> major >> dot >> minor >> dot >> revision;
  return {major, minor, revision};
}

std::string RunningVersion(const OrthancServer& server) {
  const HttpResponse system = server.Http().Get("/system");
  if (system.status != 200) throw std::runtime_error("GET /system: " + system.body);
  return system.Json()["Version"].asString();
}

// Orthanc 1.12.4 gave plugins OrthancPluginLogMessage, whose lines name the
// plugin and its source file; before it, a plugin's lines name Orthanc's own
// PluginsManager.cpp, and nothing tells our lines from another plugin's.
TEST(OrthancVersionTest, LogLinesNameOurPluginWhereOrthancCan) {
  OrthancServer server;
  const std::string version = RunningVersion(server);
  ASSERT_GE(ParseVersion(version), std::make_tuple(1, 10, 1)) << version;

  const std::regex startedLine(R"((\S+)\] medical-image-server \S+ started)");
  std::smatch match;
  const std::string log = server.Log();
  ASSERT_TRUE(std::regex_search(log, match, startedLine)) << server.LogTail();
  const std::string origin = match[1];
  if (ParseVersion(version) >= std::make_tuple(1, 12, 4)) {
    EXPECT_EQ(origin.rfind("medical-image-server:/Plugin.cpp:", 0), 0u)
        << "Orthanc " << version << " logged the line from " << origin;
  } else {
    EXPECT_EQ(origin.rfind("PluginsManager.cpp:", 0), 0u)
        << "Orthanc " << version << " logged the line from " << origin;
  }
}

}  // namespace
}  // namespace mis::test
