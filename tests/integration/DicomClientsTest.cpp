// The standard ways images arrive, driven by clients no one here wrote:
// dcmtk's storescu and findscu on the DICOM port, curl for STOW-RS on
// DICOMweb. The servers run with the DICOM settings of the shipped
// orthanc-config/orthanc.json, so these tests check that configuration too.
// (QIDO-RS and WADO-RS with the npm dicomweb-client: tests/e2e/dicomweb.test.mjs.)
//
// Images stored these ways must be first-class: the series routes answer the
// same figures as for the sample volume (references in SampleVolume.h).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <json/reader.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "AuthHelpers.h"
#include "CommandLine.h"
#include "DicomBytes.h"
#include "SampleVolume.h"
#include "ServerSuite.h"
#include "StowRequest.h"
#include "TemporaryDirectory.h"
#include "TestData.h"

namespace mis::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// The modality the shipped configuration registers, and the server's title.
constexpr const char* kRegisteredAet = "LOCALSCU";
constexpr const char* kUnknownAet = "INTRUDER";

Json::Value ReadJsonFile(const fs::path& path) {
  std::ifstream file(path);
  Json::CharReaderBuilder builder;
  builder["allowComments"] = true;  // Orthanc's configuration files may have them
  Json::Value value;
  std::string errors;
  if (!Json::parseFromStream(builder, file, &value, &errors)) {
    throw std::runtime_error("cannot read " + path.string() + ": " + errors);
  }
  return value;
}

// orthanc-config/orthanc.json, read once.
const Json::Value& ShippedConfiguration() {
  static const Json::Value shipped = ReadJsonFile(MIS_SHIPPED_CONFIGURATION);
  return shipped;
}

// The DICOM network settings of orthanc-config/orthanc.json (AE titles,
// modalities, what unknown modalities may do), for the test servers.
Json::Value ShippedDicomSettings() {
  const Json::Value& shipped = ShippedConfiguration();
  Json::Value settings(Json::objectValue);
  for (const std::string& key : shipped.getMemberNames()) {
    if (key.rfind("Dicom", 0) == 0 && key != "DicomPort" && key != "DicomServerEnabled") {
      settings[key] = shipped[key];
    }
  }
  settings["UnknownSopClassAccepted"] = shipped["UnknownSopClassAccepted"];
  settings["StrictAetComparison"] = shipped["StrictAetComparison"];
  return settings;
}

std::string ShippedAet() { return ShippedConfiguration()["DicomAet"].asString(); }

OrthancServerOptions ShippedDicomOptions() {
  OrthancServerOptions options;
  options.orthancSettings = ShippedDicomSettings();
  return options;
}

std::string FileList(const std::vector<fs::path>& files) {
  std::string list;
  for (const fs::path& file : files) list += " " + ShellQuote(file.string());
  return list;
}

// storescu or findscu with TCP_NODELAY=1 (DCMTK reads it), everything it
// prints in `output`.
CommandResult RunDcmtk(const std::string& tool, const std::string& callingAet,
                       const std::string& calledAet, uint16_t port, const std::string& rest) {
  return RunCommand("TCP_NODELAY=1 " + tool + " -aet " + ShellQuote(callingAet) + " -aec " +
                    ShellQuote(calledAet) + " 127.0.0.1 " + std::to_string(port) + rest + " 2>&1");
}

CommandResult Storescu(const OrthancServer& server, const std::string& callingAet,
                       const std::string& calledAet, const std::vector<fs::path>& files) {
  return RunDcmtk("storescu", callingAet, calledAet, server.DicomPort(), FileList(files));
}

// C-FIND at the study level, asking for the patient's name and the study UID.
CommandResult FindStudies(const OrthancServer& server, const std::string& callingAet) {
  return RunDcmtk("findscu", callingAet, ShippedAet(), server.DicomPort(),
                  " -S -k QueryRetrieveLevel=STUDY -k PatientName -k PatientID"
                  " -k StudyInstanceUID");
}

Json::Value::ArrayIndex CountInstances(const OrthancServer& server) {
  const HttpResponse instances = server.Http().Get("/instances");
  if (instances.status != 200) throw std::runtime_error("GET /instances: " + instances.body);
  return instances.Json().size();
}

std::set<std::string> SampleSopInstanceUids() {
  std::set<std::string> uids;
  for (const auto& [uid, file] : SampleFilesBySopInstanceUid()) uids.insert(uid);
  return uids;
}

// The audit trail holds the C-STOREs of `instances` instances of `seriesId`
// from the registered modality on this machine, counted into rows of
// "dicom_store". Orthanc reports new instances on its change thread after the
// store, so the rows may come a moment after storescu ends.
void ExpectCStoresAudited(const HttpClient& admin, const std::string& seriesId,
                          int64_t instances) {
  int64_t counted = 0;
  Json::Value rows(Json::arrayValue);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (counted < instances && std::chrono::steady_clock::now() < deadline) {
    const HttpResponse audit = admin.Get("/api/audit?limit=1000");
    ASSERT_EQ(audit.status, 200) << audit.body;
    const Json::Value events = audit.Json()["events"];
    counted = 0;
    rows = Json::Value(Json::arrayValue);
    for (const Json::Value& event : events) {
      if (event["action"].asString() != "dicom_store" || event["series"].asString() != seriesId) {
        continue;
      }
      rows.append(event);
      counted += event["count"].asInt64();
      EXPECT_EQ(event["user"].asString(), kRegisteredAet);
      EXPECT_EQ(event["client"].asString(), "127.0.0.1");
      EXPECT_EQ(event["route"].asString(), "C-STORE to " + ShippedAet());
      EXPECT_EQ(event["outcome"].asString(), "stored");
    }
    if (counted < instances) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(counted, instances) << rows.toStyledString();
  EXPECT_LE(rows.size(), 2u) << "one row a series and minute: " << rows.toStyledString();
}

// The series routes over the stored sample series answer as for data/.
void ExpectSampleSeriesServed(const HttpClient& client) {
  const fs::path middle = SampleVolumeFile(kMiddleFile);
  const std::string base = "/api/series/" + SeriesIdOf(middle);

  const HttpResponse name = client.Get(base + "/patient-name");
  ASSERT_EQ(name.status, 200) << name.body;
  EXPECT_EQ(name.Json()["patient_name"].asString(), DicomTag(middle, "PatientName"));

  const HttpResponse info = client.Get(base + "/middle-slice/info");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.Json()["sop_instance_uid"].asString(), DicomTag(middle, "SOPInstanceUID"));
  EXPECT_EQ(info.Json()["index"].asUInt64(), kMiddleIndex);
  EXPECT_EQ(info.Json()["count"].asUInt64(), kSampleSlices);

  const HttpResponse slice = client.Get(base + "/middle-slice");
  ASSERT_EQ(slice.status, 200) << slice.body;
  EXPECT_EQ(slice.Header("content-type"), "image/png");

  const HttpResponse volume = client.Get(base + "/volume");
  ASSERT_EQ(volume.status, 200) << volume.body;
  EXPECT_EQ(volume.Json()["pixels_above_threshold"].asInt64(), kSampleAbove);
  EXPECT_NEAR(volume.Json()["volume_mm3"].asDouble(), kSampleVolumeMm3, kSampleVolumeTolerance);
  EXPECT_EQ(volume.Json()["slices"].asUInt64(), kSampleSlices);
}

// QIDO-RS finds the sample study by patient name.
void ExpectQidoFindsTheSampleStudy(const HttpClient& client) {
  const fs::path middle = SampleVolumeFile(kMiddleFile);
  const HttpResponse found =
      client.Get("/dicom-web/studies?PatientName=" + DicomTag(middle, "PatientName"),
                 {{"Accept", "application/dicom+json"}});
  ASSERT_EQ(found.status, 200) << found.body;
  const Json::Value studies = found.Json();
  ASSERT_EQ(studies.size(), 1u) << found.body;
  EXPECT_EQ(studies[0]["0020000D"]["Value"][0].asString(), DicomTag(middle, "StudyInstanceUID"));
}

// ---------------------------------------------------------------------------
// C-STORE and C-FIND on the DICOM port.

class DicomPortTest : public ServerSuite {
 public:
  static void SetUpTestSuite() { StartServer(ShippedDicomOptions()); }
};

TEST_F(DicomPortTest, ShippedConfigurationRefusesUnknownModalities) {
  const Json::Value settings = ShippedDicomSettings();
  EXPECT_FALSE(settings["DicomAlwaysAllowStore"].asBool());
  EXPECT_FALSE(settings["DicomAlwaysAllowFind"].asBool());
  EXPECT_TRUE(settings["DicomCheckCalledAet"].asBool());
  EXPECT_TRUE(settings["DicomModalities"].isObject());
}

// Issue 16, item 7: the registered modality could C-FIND every patient with
// no login and no audit record. The shipped modalities may C-STORE (audited)
// and C-ECHO only; Orthanc takes an absent "Allow..." as true, so each says
// false outright. The server says so at start when a configuration allows more.
TEST_F(DicomPortTest, ShippedModalitiesMayOnlyStoreAndEcho) {
  const Json::Value settings = ShippedDicomSettings();
  for (const char* always : {"DicomAlwaysAllowFind", "DicomAlwaysAllowGet", "DicomAlwaysAllowMove"}) {
    EXPECT_TRUE(settings[always].isBool() && !settings[always].asBool()) << always;
  }
  for (const std::string& name : settings["DicomModalities"].getMemberNames()) {
    const Json::Value& modality = settings["DicomModalities"][name];
    ASSERT_TRUE(modality.isObject()) << name;
    for (const char* flag : {"AllowFind", "AllowFindWorklist", "AllowGet", "AllowMove"}) {
      EXPECT_TRUE(modality[flag].isBool() && !modality[flag].asBool()) << name << " " << flag;
    }
  }
  EXPECT_THAT(Server().Log(), Not(HasSubstr("no audit record")));
}

TEST_F(DicomPortTest, StorescuFromTheRegisteredModalityStoresEverySlice) {
  const CommandResult sent = Storescu(Server(), kRegisteredAet, ShippedAet(), SampleVolumeFiles());
  ASSERT_EQ(sent.exitCode, 0) << sent.output;
  EXPECT_EQ(CountInstances(Server()), kSampleSlices);

  std::set<std::string> stored;
  for (const Json::Value& id : Http().Get("/instances").Json()) {
    stored.insert(Http().Get("/instances/" + id.asString()).Json()["MainDicomTags"]
                      ["SOPInstanceUID"].asString());
  }
  EXPECT_EQ(stored, SampleSopInstanceUids());
  ExpectSampleSeriesServed(Http());
  ExpectQidoFindsTheSampleStudy(Http());
  ExpectCStoresAudited(Http(), SeriesIdOf(SampleVolumeFile(kMiddleFile)), kSampleSlices);
}

// A file nesting 50 sequences (issue 16, item 2): DCMTK reads it on the DICOM
// thread (8 MiB of stack), but once stored, every view of it would read it on
// an HTTP thread (100 KiB). The plugin refuses it before Orthanc stores it.
TEST_F(DicomPortTest, StorescuOfADeeplyNestedFileIsRefused) {
  TemporaryDirectory directory("mis-deep-cstore");
  const fs::path deep = directory.Path() / "deep.dcm";
  const fs::path readable = directory.Path() / "readable.dcm";
  std::ofstream(deep, std::ios::binary) << NestedInstance(50, "1.2.826.0.1.3680043.8.498.16207");
  std::ofstream(readable, std::ios::binary) << NestedInstance(24, "1.2.826.0.1.3680043.8.498.16208");
  const Json::Value::ArrayIndex before = CountInstances(Server());
  const CommandResult refused = Storescu(Server(), kRegisteredAet, ShippedAet(), {deep});
  EXPECT_NE(refused.exitCode, 0) << refused.output;
  ASSERT_TRUE(Server().IsRunning());
  EXPECT_EQ(CountInstances(Server()), before);
  const CommandResult stored = Storescu(Server(), kRegisteredAet, ShippedAet(), {readable});
  ASSERT_EQ(stored.exitCode, 0) << stored.output;
  EXPECT_EQ(CountInstances(Server()), before + 1);
}

TEST_F(DicomPortTest, StorescuFromAnUnknownModalityIsRefused) {
  const CommandResult sent = Storescu(Server(), kUnknownAet, ShippedAet(), SampleVolumeFiles());
  EXPECT_NE(sent.exitCode, 0) << sent.output;
  EXPECT_THAT(sent.output, HasSubstr("Store Failed"));
  EXPECT_EQ(CountInstances(Server()), 0u);
}

// Issue 16, item 7: "localscu" stored as if it were the registered LOCALSCU.
// AE titles are compared exactly (StrictAetComparison), calling and called.
TEST_F(DicomPortTest, AeTitlesMatchOnlyExactly) {
  EXPECT_TRUE(ShippedConfiguration()["StrictAetComparison"].asBool());
  const std::vector<fs::path> one = {SampleVolumeFiles().front()};
  const Json::Value::ArrayIndex before = CountInstances(Server());
  for (const auto& [calling, called] :
       {std::make_pair(std::string("localscu"), ShippedAet()),
        std::make_pair(std::string("LocalScu"), ShippedAet()),
        std::make_pair(std::string(kRegisteredAet), std::string("medimgserver"))}) {
    const CommandResult sent = Storescu(Server(), calling, called, one);
    EXPECT_NE(sent.exitCode, 0) << calling << " -> " << called << ": " << sent.output;
  }
  EXPECT_EQ(CountInstances(Server()), before);
  // findscu exits with 0 on a refusal too: it says so in what it prints.
  const CommandResult found = FindStudies(Server(), "localscu");
  EXPECT_THAT(found.output, HasSubstr("Find Failed"));
  EXPECT_THAT(found.output, Not(HasSubstr("Find Response: 1 (Pending)")));
}

TEST_F(DicomPortTest, StorescuToAnotherAeTitleIsRejected) {
  const CommandResult sent = Storescu(Server(), kRegisteredAet, "NOTTHISSERVER", SampleVolumeFiles());
  EXPECT_NE(sent.exitCode, 0) << sent.output;
  EXPECT_THAT(sent.output, HasSubstr("Called AE Title Not Recognized"));
  EXPECT_EQ(CountInstances(Server()), 0u);
}

// Issue 16, item 7: LOCALSCU found every patient by C-FIND, unaudited.
TEST_F(DicomPortTest, FindscuIsRefusedEvenForTheRegisteredModality) {
  const CommandResult sent = Storescu(Server(), kRegisteredAet, ShippedAet(), SampleVolumeFiles());
  ASSERT_EQ(sent.exitCode, 0) << sent.output;
  for (const char* calling : {kRegisteredAet, kUnknownAet}) {
    const CommandResult refused = FindStudies(Server(), calling);
    EXPECT_THAT(refused.output, HasSubstr("Find Failed")) << calling;
    EXPECT_THAT(refused.output, Not(HasSubstr("Find Response: 1"))) << calling;
  }
}

// An administrator may still allow C-FIND to a modality (README): Orthanc
// answers it, and the server warns at start that it is neither
// authenticated nor audited.
class DicomFindAllowedTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options = ShippedDicomOptions();
    for (const std::string& name : options.orthancSettings["DicomModalities"].getMemberNames()) {
      options.orthancSettings["DicomModalities"][name]["AllowFind"] = true;
    }
    StartServer(options);
  }
};

TEST_F(DicomFindAllowedTest, FindscuFindsThePatientOnlyForTheRegisteredModality) {
  EXPECT_THAT(Server().Log(), HasSubstr("may C-FIND, with no login and no audit record"));
  const CommandResult sent = Storescu(Server(), kRegisteredAet, ShippedAet(), SampleVolumeFiles());
  ASSERT_EQ(sent.exitCode, 0) << sent.output;
  const fs::path middle = SampleVolumeFile(kMiddleFile);

  const CommandResult found = FindStudies(Server(), kRegisteredAet);
  ASSERT_EQ(found.exitCode, 0) << found.output;
  EXPECT_THAT(found.output, HasSubstr("Find Response: 1 (Pending)"));
  EXPECT_THAT(found.output, Not(HasSubstr("Find Response: 2")));
  EXPECT_THAT(found.output, HasSubstr("[" + DicomTag(middle, "PatientName")));
  EXPECT_THAT(found.output, HasSubstr("[" + DicomTag(middle, "StudyInstanceUID") + "]"));

  // findscu exits with 0 even then: the refusal is in what it prints.
  const CommandResult refused = FindStudies(Server(), kUnknownAet);
  EXPECT_THAT(refused.output, HasSubstr("Find Failed"));
  EXPECT_THAT(refused.output, Not(HasSubstr("Find Response")));
}

// ---------------------------------------------------------------------------
// STOW-RS with curl.

// POST /dicom-web/studies with curl: `body` sent as multipart/related with
// `boundary` in its Content-Type, plus `extraArguments` (credentials), to
// `baseUrl` (the front's, or Orthanc's own).
HttpResponse CurlStow(const std::string& baseUrl, const std::string& body,
                      const std::string& boundary, const std::string& extraArguments) {
  TemporaryDirectory directory("mis-stow");
  const fs::path request = directory.Path() / "request";
  const fs::path answer = directory.Path() / "answer";
  std::ofstream(request, std::ios::binary) << body;
  const CommandResult result = RunCommand(
      "curl -sS -o " + ShellQuote(answer.string()) + " -w '%{http_code}' -X POST" +
      " -H " + ShellQuote("Content-Type: " + StowContentType(boundary)) +
      " -H 'Accept: application/dicom+json' --data-binary @" + ShellQuote(request.string()) + " " +
      extraArguments + " " + ShellQuote(baseUrl + "/dicom-web/studies"));
  if (result.exitCode != 0) throw std::runtime_error("curl failed: " + result.output);
  HttpResponse response;
  response.status = std::stoi(result.output);
  response.body = ReadFileBytes(answer);
  return response;
}

std::string BearerArgument(const std::string& token) {
  return "-H " + ShellQuote("Authorization: Bearer " + token);
}

class StowTest : public ServerSuite {
 public:
  static void SetUpTestSuite() { StartServer(ShippedDicomOptions()); }

 protected:
  static std::string Token() { return CreateApiToken(Server(), kAdminUser); }
};

TEST_F(StowTest, CurlWithABearerTokenStoresTheSeries) {
  const HttpResponse answer =
      CurlStow(Server().BaseUrl(), StowBody(DicomParts(SampleVolumeFiles())), kStowBoundary,
               BearerArgument(Token()));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const Json::Value stow = answer.Json();
  EXPECT_EQ(ReferencedSopInstanceUids(stow), SampleSopInstanceUids());
  EXPECT_FALSE(stow["00081198"].isMember("Value")) << "FailedSOPSequence: " << answer.body;
  // RetrieveURL (0008,1190) of the study, under the DICOMweb root.
  EXPECT_THAT(stow["00081190"]["Value"][0].asString(),
              HasSubstr("/dicom-web/studies/" +
                        DicomTag(SampleVolumeFile(kMiddleFile), "StudyInstanceUID")));

  EXPECT_EQ(CountInstances(Server()), kSampleSlices);
  ExpectSampleSeriesServed(Http());
  ExpectQidoFindsTheSampleStudy(Http());
}

TEST_F(StowTest, WithoutValidCredentialsNothingIsStored) {
  const std::string body = StowBody(DicomParts(SampleVolumeFiles()));
  // The front: 401 (with the Basic challenge). Orthanc's request filter
  // (1.10, 1.12.7), reached directly, can only deny with 403 (README, "Users
  // and logging in").
  for (const auto& [url, status] :
       {std::make_pair(Server().BaseUrl(), 401L), std::make_pair(Server().DirectUrl(), 403L)}) {
    SCOPED_TRACE(url);
    EXPECT_EQ(CurlStow(url, body, kStowBoundary, "").status, status);
    EXPECT_EQ(CurlStow(url, body, kStowBoundary, BearerArgument("not-a-token")).status, status);
    EXPECT_EQ(CurlStow(url, body, kStowBoundary, "-u admin:wrong-password").status, status);
  }
  EXPECT_EQ(CountInstances(Server()), 0u);
}

// What the server answers to a malformed body varies (see the README): the
// front's check refuses a body it cannot split, DICOMweb 1.7 answers the
// rest. None claims to have stored an instance, and the storage is unchanged.
TEST_F(StowTest, MalformedBodiesLeaveTheStorageUnchanged) {
  const std::string token = Token();
  const std::string sample = ReadFileBytes(SampleVolumeFile(kMiddleFile));
  const std::string good = StowBody({{"application/dicom", sample}}, kStowBoundary);
  // One instance stored first: malformed requests must not touch it either.
  ASSERT_EQ(CurlStow(Server().BaseUrl(), good, kStowBoundary, BearerArgument(token)).status, 200);
  const std::string before = Http().Get("/instances?expand").body;

  struct Case {
    std::string name;
    std::string body;
    std::string boundary;  // announced in Content-Type
    int expectedStatus;
  };
  const std::string other = ReadFileBytes(SampleVolumeFile("1-072.dcm"));
  const std::vector<Case> cases = {
      {"wrong boundary", StowBody({{"application/dicom", other}}, kStowBoundary), "other-boundary",
       400},
      {"truncated part", good.substr(0, good.size() / 2), kStowBoundary, 400},
      {"truncated DICOM in a closed part",
       StowBody({{"application/dicom", other.substr(0, other.size() / 2)}}, kStowBoundary),
       kStowBoundary, 400},
      {"non-DICOM part", StowBody({{"application/dicom", "not a DICOM file"}}, kStowBoundary),
       kStowBoundary, 400},
      {"empty body", "", kStowBoundary, 200},
  };
  for (const Case& malformed : cases) {
    SCOPED_TRACE(malformed.name);
    const HttpResponse answer =
        CurlStow(Server().BaseUrl(), malformed.body, malformed.boundary, BearerArgument(token));
    EXPECT_EQ(answer.status, malformed.expectedStatus) << answer.body;
    EXPECT_TRUE(ReferencedSopInstanceUids(answer.Json()).empty()) << answer.body;
    EXPECT_EQ(Http().Get("/instances?expand").body, before);
  }
  EXPECT_EQ(CountInstances(Server()), 1u);
}

}  // namespace
}  // namespace mis::test
