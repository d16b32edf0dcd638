// Bad uploads get a JSON error and never crash or hang the server. The suite's
// server has MaxUploadMegabytes 1; after each test it must still answer.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <vector>

#include "MultipartForm.h"
#include "ServerSuite.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

using ::testing::HasSubstr;

constexpr size_t kMebibyte = 1024 * 1024;
// The suite's upload limit: set in the server's configuration, and the figure
// its 413 must name.
constexpr int kMaxUploadMegabytes = 1;

class BadInputTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    options.pluginSettings["MaxUploadMegabytes"] = kMaxUploadMegabytes;
    StartServer(options);
  }

 protected:
  // A hang fails the test instead of blocking it.
  static HttpClient Client() {
    return HttpClient(Server().BaseUrl(), std::chrono::seconds(20))
        .WithBasicAuth(kAdminUser, kAdminPassword);
  }
  // Orthanc itself, behind the front.
  static HttpClient DirectClient() {
    return HttpClient(Server().DirectUrl(), std::chrono::seconds(20))
        .WithBasicAuth(kAdminUser, kAdminPassword);
  }

  static std::string SampleSlice() { return ReadFileBytes(SampleSlicePath()); }

  // The server still answers, and still measures a valid file right.
  static void ExpectServerStillServes() {
    const HttpResponse health = Client().Get("/api/health");
    EXPECT_EQ(health.status, 200) << health.body;
    ExpectVolumeAnswer(PostDicom(Client(), SampleSlice()), FindExpectedAnswer("1-101.dcm", 0.5));
  }

  void TearDown() override {
    if (!HasFatalFailure() && Server().IsRunning()) ExpectServerStillServes();
    ServerSuite::TearDown();
  }

  static HttpResponse EmptyBody() { return PostDicom(Client(), ""); }
  static HttpResponse TextFile() {
    return PostDicom(Client(), ReadFileBytes(TestDataDirectory() / "README.md"));
  }
  static HttpResponse TruncatedHeader() { return PostDicom(Client(), SampleSlice().substr(0, 1000)); }
  static HttpResponse NoPixelData() {
    return PostDicom(Client(), ReadFileBytes(CorpusPath("reportsi.dcm")));
  }
  static HttpResponse ColourImage() {
    return PostDicom(Client(), ReadFileBytes(CorpusPath("SC_rgb_rle.dcm")));
  }
  static HttpResponse MissingSliceThickness() {
    return PostDicom(Client(), ReadFileBytes(CorpusPath("rtdose.dcm")));
  }
  // One MiB above the limit: the start of the sample slice, repeated.
  static HttpResponse AboveUploadLimit(const HttpClient& client = Client()) {
    const size_t size = (kMaxUploadMegabytes + 1) * kMebibyte;
    std::string bytes;
    while (bytes.size() < size) bytes += SampleSlice();
    bytes.resize(size);
    return PostDicom(client, bytes);
  }
  static HttpResponse WrongContentType() {
    return Client().Post("/api/volume", SampleSlice(), "text/plain");
  }
  static HttpResponse WrongMethod() { return Client().Get("/api/volume"); }
  // A form POSTed as browsers and curl -F do: the front hands it to the
  // route as a PUT; Orthanc itself, reached directly, would swallow it.
  static HttpResponse PostedForm(const HttpClient& client) {
    MultipartForm form;
    form.AddFile("file", "1-101.dcm", "application/dicom", SampleSlice());
    return client.Post("/api/volume", form.Body(), form.ContentType());
  }
  static HttpResponse PostedFormToOrthanc() { return PostedForm(DirectClient()); }
};

std::string Detail(const HttpResponse& response) { return response.Json()["detail"].asString(); }

TEST_F(BadInputTest, EmptyBodyIs400) { ExpectJsonError(EmptyBody(), 400); }

TEST_F(BadInputTest, TextFileIs400) { ExpectJsonError(TextFile(), 400); }

TEST_F(BadInputTest, TruncatedHeaderIs400) { ExpectJsonError(TruncatedHeader(), 400); }

TEST_F(BadInputTest, NoPixelDataIs422) {
  const HttpResponse response = NoPixelData();
  ExpectJsonError(response, 422);
  EXPECT_TRUE(std::regex_search(Detail(response), std::regex("pixel", std::regex::icase)))
      << response.body;
}

TEST_F(BadInputTest, ColourImageIs422) {
  const HttpResponse response = ColourImage();
  ExpectJsonError(response, 422);
  EXPECT_TRUE(std::regex_search(Detail(response),
                                std::regex("colou?r|SamplesPerPixel", std::regex::icase)))
      << response.body;
}

TEST_F(BadInputTest, MissingSliceThicknessGivesTheCountWithoutVolume) {
  const HttpResponse response = MissingSliceThickness();
  ExpectVolumeAnswer(response, FindExpectedAnswer("rtdose.dcm", 0.5));
  ASSERT_EQ(response.status, 200);
  const Json::Value answer = response.Json();
  EXPECT_TRUE(answer["volume_mm3"].isNull());
  bool namesSliceThickness = false;
  for (const Json::Value& warning : answer["warnings"]) {
    namesSliceThickness = namesSliceThickness ||
                          warning.asString().find("SliceThickness") != std::string::npos;
  }
  EXPECT_TRUE(namesSliceThickness) << response.body;
}

// The limit as a number too, so that a client need not parse the English
// detail: from the front, and from the plugin behind it.
TEST_F(BadInputTest, UploadAboveTheLimitIs413WithTheLimitInBytes) {
  for (const HttpResponse& response :
       {AboveUploadLimit(Client()), AboveUploadLimit(DirectClient())}) {
    ExpectJsonError(response, 413);
    const Json::Value body = response.Json();
    EXPECT_EQ(body["error"].asString(), "upload_too_large") << response.body;
    ASSERT_TRUE(body["limit_bytes"].isUInt64()) << response.body;
    EXPECT_EQ(body["limit_bytes"].asUInt64(), uint64_t{kMaxUploadMegabytes} * kMebibyte);
  }
}

TEST_F(BadInputTest, WrongContentTypeIs415) { ExpectJsonError(WrongContentType(), 415); }

// Orthanc sends 405 without a body: the Allow header says what to use.
TEST_F(BadInputTest, GetIs405WithAllow) {
  const HttpResponse response = WrongMethod();
  EXPECT_EQ(response.status, 405);
  const std::string allow = response.Header("allow");
  EXPECT_THAT(allow, HasSubstr("POST"));
  EXPECT_THAT(allow, HasSubstr("PUT"));
}

// Through the front, a POSTed form is measured like any upload.
TEST_F(BadInputTest, PostedMultipartFormIsMeasuredThroughTheFront) {
  ExpectVolumeAnswer(PostedForm(Client()), FindExpectedAnswer("1-101.dcm", 0.5));
}

// Straight to Orthanc, 1.10 would swallow it with an empty 200; the request
// filter refuses it.
TEST_F(BadInputTest, PostedMultipartFormStraightToOrthancIs403) {
  EXPECT_EQ(PostedFormToOrthanc().status, 403);
}

TEST_F(BadInputTest, EveryBadInputInARowLeavesTheServerServing) {
  const std::vector<std::pair<std::function<HttpResponse()>, long>> attempts = {
      {EmptyBody, 400},        {TextFile, 400},    {TruncatedHeader, 400},
      {NoPixelData, 422},      {ColourImage, 422}, {MissingSliceThickness, 200},
      {[] { return AboveUploadLimit(); }, 413}, {WrongContentType, 415}, {WrongMethod, 405},
      {PostedFormToOrthanc, 403}};
  for (const auto& [attempt, status] : attempts) {
    EXPECT_EQ(attempt().status, status);
  }
  // TearDown checks that the server still answers and measures.
}

}  // namespace
}  // namespace mis::test
