// The sample CT slice through every way of uploading it: raw POST, multipart
// PUT, and the curl command-line tool (a client none of us wrote).

#include <gtest/gtest.h>
#include <json/reader.h>

#include <memory>
#include <sstream>

#include "CommandLine.h"
#include "MultipartForm.h"
#include "ServerSuite.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

class SampleSliceTest : public ServerSuite {
 protected:
  static ExpectedAnswer Expected() { return FindExpectedAnswer("1-101.dcm", 0.5); }

  // Runs curl with `arguments`, then parses what it printed: the body, then
  // "<status> <content type>" on the last line (curl's -w).
  static HttpResponse RunCurl(const std::string& arguments) {
    const CommandResult result = RunCommand(
        std::string("curl --silent --show-error --noproxy '*' --max-time 60 ") +
        "--user " + ShellQuote(std::string(kAdminUser) + ":" + kAdminPassword) + " "
        "--write-out '\\n%{http_code} %{content_type}' " +
        arguments + " " + ShellQuote(Server().BaseUrl() + "/api/volume"));
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
};

TEST_F(SampleSliceTest, PostRawDicomBody) {
  const HttpResponse response = PostDicom(Http(), ReadFileBytes(SampleSlicePath()));
  ExpectVolumeAnswer(response, Expected());
}

TEST_F(SampleSliceTest, PostOctetStreamBody) {
  const HttpResponse response =
      Http().Post("/api/volume", ReadFileBytes(SampleSlicePath()), "application/octet-stream");
  ExpectVolumeAnswer(response, Expected());
}

TEST_F(SampleSliceTest, PutMultipartForm) {
  MultipartForm form;
  form.AddText("comment", "a field before the file must be skipped");
  form.AddFile("file", "1-101.dcm", "application/octet-stream", ReadFileBytes(SampleSlicePath()));
  const HttpResponse response = Http().Put("/api/volume", form.Body(), form.ContentType());
  ExpectVolumeAnswer(response, Expected());
}

// Figures of the slice itself, from tests/data/README.md (512 x 512, one slice).
TEST_F(SampleSliceTest, AnswerDescribesTheSlice) {
  const HttpResponse response = PostDicom(Http(), ReadFileBytes(SampleSlicePath()));
  ASSERT_EQ(response.status, 200) << response.body;
  const Json::Value answer = response.Json();
  EXPECT_EQ(answer["rows"].asInt(), 512);
  EXPECT_EQ(answer["columns"].asInt(), 512);
  EXPECT_EQ(answer["frames"].asInt(), 1);
  EXPECT_TRUE(answer["sop_instance_uid"].isString() && !answer["sop_instance_uid"].asString().empty());
  EXPECT_TRUE(answer["pixel_spacing_mm"].isArray() && answer["pixel_spacing_mm"].size() == 2);
  EXPECT_TRUE(answer["slice_thickness_mm"].isNumeric());
  EXPECT_LT(answer["min_value"].asDouble(), answer["max_value"].asDouble());
  EXPECT_FALSE(answer.isMember("warnings")) << response.body;
  EXPECT_FALSE(answer.isMember("stored")) << response.body;
}

TEST_F(SampleSliceTest, CurlPutForm) {
  const HttpResponse response =
      RunCurl("-X PUT -F " + ShellQuote("file=@" + SampleSlicePath().string()));
  ExpectVolumeAnswer(response, Expected());
}

TEST_F(SampleSliceTest, CurlPostDataBinary) {
  const HttpResponse response =
      RunCurl("--data-binary " + ShellQuote("@" + SampleSlicePath().string()) +
              " -H 'Content-Type: application/dicom'");
  ExpectVolumeAnswer(response, Expected());
}

}  // namespace
}  // namespace mis::test
