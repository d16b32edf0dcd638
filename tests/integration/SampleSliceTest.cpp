// The sample CT slice through every way of uploading it, through the HTTP
// front: raw POST, multipart PUT and POST, and the curl command-line tool (a
// client none of us wrote).

#include <gtest/gtest.h>

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

  // curl as the administrator, with `arguments`, to the volume route at
  // `baseUrl` (the front's, or Orthanc's own).
  static HttpResponse CurlVolume(const std::string& arguments,
                                 const std::string& baseUrl = Server().BaseUrl()) {
    return RunCurl("--user " + ShellQuote(std::string(kAdminUser) + ":" + kAdminPassword) + " " +
                   arguments + " " + ShellQuote(baseUrl + "/api/volume"));
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
      CurlVolume("-X PUT -F " + ShellQuote("file=@" + SampleSlicePath().string()));
  ExpectVolumeAnswer(response, Expected());
}

// curl -F POSTs the form (as a browser's form does): the front hands it to the
// route as a PUT. Straight to Orthanc, 1.10 would swallow it: the filter refuses.
TEST_F(SampleSliceTest, CurlPostForm) {
  const std::string form = "-F " + ShellQuote("file=@" + SampleSlicePath().string());
  ExpectVolumeAnswer(CurlVolume(form), Expected());
  const HttpResponse direct = CurlVolume(form, Server().DirectUrl());
  EXPECT_EQ(direct.status, 403) << direct.body;
}

TEST_F(SampleSliceTest, CurlPostDataBinary) {
  const HttpResponse response =
      CurlVolume("--data-binary " + ShellQuote("@" + SampleSlicePath().string()) +
              " -H 'Content-Type: application/dicom'");
  ExpectVolumeAnswer(response, Expected());
}

}  // namespace
}  // namespace mis::test
