// The clients people point at the server, through the HTTP front: curl
// --anyauth, Python's urllib.request with HTTPBasicAuthHandler and httplib2
// with add_credentials send no password until a 401 with a Basic challenge
// asks for it. The front sends one, so QIDO-RS, WADO-RS, STOW-RS and POST
// /instances work with each; Orthanc alone, which can only answer 403, never
// gets their password (the same clients straight to it: refused).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <json/reader.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "AuthHelpers.h"
#include "CommandLine.h"
#include "SampleVolume.h"
#include "ServerSuite.h"
#include "StowRequest.h"
#include "TemporaryDirectory.h"
#include "TestData.h"

namespace mis::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "script-user";
constexpr const char* kUserPassword = "script-user-password-1";

// What a client sends: one sample file by STOW-RS, another by POST /instances;
// each client its own pair, so that each stores something new.
struct ClientFiles {
  fs::path stowed;
  fs::path posted;
};

ClientFiles FilesOfClient(size_t client) {
  const std::vector<fs::path> files = SampleVolumeFiles();
  return {files.at(2 * client), files.at(2 * client + 1)};
}

Json::Value ParseJson(const std::string& text) {
  Json::CharReaderBuilder builder;
  const std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  Json::Value value;
  std::string errors;
  if (!reader->parse(text.data(), text.data() + text.size(), &value, &errors)) {
    throw std::runtime_error("not JSON (" + errors + "): " + text.substr(0, 2000));
  }
  return value;
}

class FrontClientsTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    StartServer();
    AddUser(Server(), kUser, kUserPassword);
  }

 protected:
  // tests/integration/front_clients.py with `client` ("urllib", "httplib2")
  // against `baseUrl`: its JSON summary of STOW-RS, QIDO-RS, WADO-RS and POST
  // /instances.
  static Json::Value RunPythonClient(const std::string& client, const std::string& baseUrl,
                                     const ClientFiles& files) {
    const std::string arguments = ShellQuote(client) + " " + ShellQuote(baseUrl) + " " +
                                  ShellQuote(kUser) + " " + ShellQuote(files.stowed.string()) +
                                  " " + ShellQuote(DicomTag(files.stowed, "StudyInstanceUID")) +
                                  " " + ShellQuote(DicomTag(files.stowed, "SeriesInstanceUID")) +
                                  " " + ShellQuote(DicomTag(files.stowed, "SOPInstanceUID")) + " " +
                                  ShellQuote(files.posted.string());
    // The password on standard input, never on a command line.
    const CommandResult result = RunCommand(
        "printf '%s\\n' " + ShellQuote(kUserPassword) + " | timeout 60 " + ShellQuote(MIS_PYTHON) +
        " " + ShellQuote(MIS_FRONT_CLIENTS_SCRIPT) + " " + arguments + " 2>&1");
    if (result.exitCode != 0) {
      throw std::runtime_error("front_clients.py " + client + " failed: " + result.output);
    }
    return ParseJson(result.output);
  }

  // Each operation answered 200 and did what it should, checked against the
  // files themselves (dcmdump) and Orthanc's ids computed here.
  static void ExpectEveryOperationWorked(const Json::Value& results, const ClientFiles& files) {
    SCOPED_TRACE(results.toStyledString());
    EXPECT_EQ(results["stow"].asInt(), 200);
    ASSERT_EQ(results["stow_stored"].size(), 1u);
    EXPECT_EQ(results["stow_stored"][0].asString(), DicomTag(files.stowed, "SOPInstanceUID"));
    EXPECT_EQ(results["qido"].asInt(), 200);
    ASSERT_EQ(results["qido_studies"].size(), 1u);
    EXPECT_EQ(results["qido_studies"][0].asString(), DicomTag(files.stowed, "StudyInstanceUID"));
    EXPECT_EQ(results["wado"].asInt(), 200);
    EXPECT_TRUE(results["wado_has_the_instance"].asBool());
    EXPECT_EQ(results["instances"].asInt(), 200);
    EXPECT_EQ(results["instances_answer"]["ID"].asString(), InstanceIdOf(files.posted));
    EXPECT_EQ(results["instances_answer"]["Status"].asString(), "Success");
    ExpectStored(files);
  }

  static void ExpectEveryOperationRefused(const Json::Value& results) {
    SCOPED_TRACE(results.toStyledString());
    for (const char* operation : {"stow", "qido", "wado", "instances"}) {
      EXPECT_EQ(results[operation].asInt(), 403) << operation;
    }
  }

  static void ExpectStored(const ClientFiles& files) {
    for (const fs::path& file : {files.stowed, files.posted}) {
      const HttpResponse stored = Http().Get("/instances/" + InstanceIdOf(file) + "/file");
      EXPECT_EQ(stored.status, 200) << file;
      EXPECT_TRUE(stored.body == ReadFileBytes(file)) << file << " is not stored as sent";
    }
  }

  // curl --anyauth as the user, with `arguments`, to `url`.
  static HttpResponse CurlAnyauth(const std::string& arguments, const std::string& url) {
    return RunCurl("--anyauth --user " + ShellQuote(std::string(kUser) + ":" + kUserPassword) +
                   " " + arguments + " " + ShellQuote(url));
  }
};

TEST_F(FrontClientsTest, CurlAnyauthAnswersTheChallenge) {
  const ClientFiles files = FilesOfClient(0);
  const std::string study = DicomTag(files.stowed, "StudyInstanceUID");
  const std::string sop = DicomTag(files.stowed, "SOPInstanceUID");
  TemporaryDirectory directory("mis-front-curl");
  const fs::path stowBody = directory.Path() / "stow";
  std::ofstream(stowBody, std::ios::binary) << StowBody(DicomParts({files.stowed}));
  const std::string stow = "-H " + ShellQuote("Content-Type: " + StowContentType()) +
                           " -H 'Accept: application/dicom+json' --data-binary @" +
                           ShellQuote(stowBody.string());
  const std::string post =
      "-H 'Content-Type: application/dicom' --data-binary @" + ShellQuote(files.posted.string());
  const std::string wado = "/dicom-web/studies/" + study + "/series/" +
                           DicomTag(files.stowed, "SeriesInstanceUID") + "/instances/" + sop;
  const std::string wadoAccept =
      "-H " + ShellQuote(R"(Accept: multipart/related; type="application/dicom")");

  // Straight to Orthanc: no challenge, so curl never sends the password.
  for (const auto& [arguments, path] :
       {std::make_pair(stow, std::string("/dicom-web/studies")),
        std::make_pair(std::string(), "/dicom-web/studies?StudyInstanceUID=" + study),
        std::make_pair(wadoAccept, wado), std::make_pair(post, std::string("/instances"))}) {
    EXPECT_EQ(CurlAnyauth(arguments, Server().DirectUrl() + path).status, 403) << path;
  }

  const HttpResponse stowed = CurlAnyauth(stow, Server().BaseUrl() + "/dicom-web/studies");
  ASSERT_EQ(stowed.status, 200) << stowed.body;
  EXPECT_EQ(ReferencedSopInstanceUids(stowed.Json()), std::set<std::string>{sop});
  const HttpResponse found =
      CurlAnyauth("", Server().BaseUrl() + "/dicom-web/studies?StudyInstanceUID=" + study);
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(found.Json().size(), 1u) << found.body;
  EXPECT_EQ(found.Json()[0]["0020000D"]["Value"][0].asString(), study);
  const HttpResponse retrieved = CurlAnyauth(wadoAccept, Server().BaseUrl() + wado);
  ASSERT_EQ(retrieved.status, 200);
  EXPECT_THAT(retrieved.Header("content-type"), ::testing::HasSubstr("multipart/related"));
  EXPECT_NE(retrieved.body.find(sop), std::string::npos) << "the instance is not in the answer";
  const HttpResponse posted = CurlAnyauth(post, Server().BaseUrl() + "/instances");
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.Json()["ID"].asString(), InstanceIdOf(files.posted));
  ExpectStored(files);
}

TEST_F(FrontClientsTest, PythonUrllibAnswersTheChallenge) {
  const ClientFiles files = FilesOfClient(1);
  ExpectEveryOperationRefused(RunPythonClient("urllib", Server().DirectUrl(), files));
  ExpectEveryOperationWorked(RunPythonClient("urllib", Server().BaseUrl(), files), files);
}

TEST_F(FrontClientsTest, PythonHttplib2AnswersTheChallenge) {
  const ClientFiles files = FilesOfClient(2);
  ExpectEveryOperationRefused(RunPythonClient("httplib2", Server().DirectUrl(), files));
  ExpectEveryOperationWorked(RunPythonClient("httplib2", Server().BaseUrl(), files), files);
}

}  // namespace
}  // namespace mis::test
