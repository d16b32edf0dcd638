// The harness itself: what later suites (auth, DICOMweb, C-STORE) rely on.

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

#include "JsonPrinter.h"
#include "OrthancServer.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

TEST(OrthancServerTest, HealthAnswersStatusOk) {
  OrthancServer server;
  const HttpResponse response = server.Http().Get("/api/health");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type").rfind("application/json", 0), 0u);
  const Json::Value body = response.Json();
  EXPECT_EQ(body["status"].asString(), "ok");
  EXPECT_TRUE(body["version"].isString() && !body["version"].asString().empty());
}

TEST(OrthancServerTest, DicomWebPluginIsLoaded) {
  OrthancServer server;
  const HttpResponse response = server.Http().Get("/dicom-web/studies");
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json(), Json::Value(Json::arrayValue));
}

TEST(OrthancServerTest, ServersRunSideBySide) {
  OrthancServer first;
  OrthancServer second;
  EXPECT_NE(first.HttpPort(), second.HttpPort());
  EXPECT_NE(first.DicomPort(), second.DicomPort());
  EXPECT_NE(first.Directory(), second.Directory());
  EXPECT_EQ(first.Http().Get("/api/health").status, 200);
  EXPECT_EQ(second.Http().Get("/api/health").status, 200);
}

TEST(OrthancServerTest, DestructionEndsTheProcessesAndRemovesTheirDirectory) {
  std::vector<pid_t> pids;
  std::filesystem::path directory;
  {
    OrthancServer server;
    pids = server.Front()->Pids();  // nginx's master and workers
    ASSERT_GE(pids.size(), 2u);
    pids.push_back(server.Pid());
    directory = server.Directory();
    ASSERT_GT(server.Pid(), 0);
    ASSERT_TRUE(std::filesystem::is_directory(directory));
    EXPECT_FALSE(server.Log().empty());
  }
  for (const pid_t pid : pids) {
    errno = 0;
    EXPECT_EQ(kill(pid, 0), -1) << "process " << pid << " is still there";
    EXPECT_EQ(errno, ESRCH);
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
}

// The front (nginx, rendered as make run renders it) before Orthanc: the
// same server through either, the front on a port of its own.
TEST(OrthancServerTest, TheFrontAndOrthancAnswerOnTheirOwnPorts) {
  OrthancServer server;
  ASSERT_NE(server.Front(), nullptr);
  EXPECT_NE(server.HttpPort(), server.DirectPort());
  EXPECT_EQ(server.BaseUrl(), "http://127.0.0.1:" + std::to_string(server.HttpPort()));
  EXPECT_EQ(server.DirectUrl(), "http://127.0.0.1:" + std::to_string(server.DirectPort()));
  const HttpResponse front = server.Http().Get("/api/health");
  EXPECT_EQ(front.status, 200);
  EXPECT_EQ(front.Header("server"), "nginx");
  const HttpResponse direct = server.DirectHttp().Get("/api/health");
  EXPECT_EQ(direct.status, 200);
  EXPECT_NE(direct.Header("server"), "nginx");
  // The plugin trusts the front's X-Forwarded-For.
  const Json::Value& proxies = server.Configuration()["MedicalImageServer"]["TrustedProxies"];
  ASSERT_EQ(proxies.size(), 1u);
  EXPECT_EQ(proxies[0].asString(), "127.0.0.1");
  // The UI, built or the harness's own page.
  EXPECT_EQ(server.AnonymousHttp().Get("/ui/").status, 200);
}

TEST(OrthancServerTest, WithoutAFrontClientsReachOrthanc) {
  OrthancServerOptions options;
  options.front = false;
  OrthancServer server(options);
  EXPECT_EQ(server.Front(), nullptr);
  EXPECT_EQ(server.BaseUrl(), server.DirectUrl());
  EXPECT_EQ(server.HttpPort(), server.DirectPort());
  EXPECT_NE(server.Http().Get("/api/health").Header("server"), "nginx");
  EXPECT_FALSE(server.Configuration()["MedicalImageServer"].isMember("TrustedProxies"));
}

TEST(OrthancServerTest, StopEndsOrthancCleanly) {
  OrthancServer server;
  const ExitStatus status = server.Stop();
  EXPECT_TRUE(status.Success()) << status.Describe() << "\n" << server.LogTail();
  EXPECT_FALSE(server.IsRunning());
}

TEST(OrthancServerTest, RestartKeepsPortsAndStorage) {
  OrthancServer server;
  // Orthanc's own upload route: the harness must not depend on our plugin's storing.
  const HttpResponse stored =
      server.Http().Post("/instances", ReadFileBytes(SampleSlicePath()), "application/dicom");
  ASSERT_EQ(stored.status, 200) << stored.body;
  const uint16_t port = server.HttpPort();
  const pid_t before = server.Pid();

  server.Restart();

  EXPECT_NE(server.Pid(), before);
  EXPECT_EQ(server.HttpPort(), port);
  EXPECT_TRUE(server.IsRunning()) << "Orthanc and its front";
  Json::Value expected(Json::arrayValue);
  expected.append(stored.Json()["ID"]);
  EXPECT_EQ(server.Http().Get("/instances").Json(), expected);
}

TEST(OrthancServerTest, OrthancSettingsOverrideTheDefaults) {
  OrthancServerOptions options;
  options.orthancSettings["DicomAet"] = "OTHERAET";
  options.orthancSettings["DicomWeb"]["Root"] = "/web/";
  OrthancServer server(options);
  EXPECT_EQ(server.Configuration()["DicomWeb"]["Enable"].asBool(), true);  // merged, not replaced
  EXPECT_EQ(server.Http().Get("/web/studies").status, 200);
  const Json::Value system = server.Http().Get("/system").Json();
  EXPECT_EQ(system["DicomAet"].asString(), "OTHERAET");
}

// A file that is not a shared library as a plugin: Orthanc exits at start.
OrthancServerOptions WithBrokenPlugin() {
  OrthancServerOptions options;
  options.plugins = {(TestDataDirectory() / "README.md").string()};
  return options;
}

TEST(OrthancServerTest, StartExpectingFailureReportsTheExitAndLog) {
  const OrthancServer::FailedStart failed = OrthancServer::StartExpectingFailure(WithBrokenPlugin());
  EXPECT_FALSE(failed.status.Success()) << failed.status.Describe();
  EXPECT_NE(failed.log.find("README.md"), std::string::npos) << failed.log;
}

TEST(OrthancServerTest, FailedStartThrowsWithTheLogTail) {
  try {
    OrthancServer server(WithBrokenPlugin());
    FAIL() << "the server started";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("README.md"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace mis::test
