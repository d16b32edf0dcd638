#include "VolumeChecks.h"

#include <gtest/gtest.h>

#include <cmath>

#include "MultipartForm.h"

namespace mis::test {
namespace {

constexpr double kVolumeTolerance = 1e-6;

bool IsJsonContentType(const std::string& contentType) {
  return contentType.rfind("application/json", 0) == 0;
}

}  // namespace

HttpResponse PostDicom(const HttpClient& client, const std::string& bytes,
                       const std::string& query) {
  return client.Post("/api/volume" + query, bytes, "application/dicom");
}

HttpResponse PutForm(const HttpClient& client, const std::string& bytes,
                     const std::string& query) {
  MultipartForm form;
  form.AddFile("file", "upload.dcm", "application/dicom", bytes);
  return client.Put("/api/volume" + query, form.Body(), form.ContentType());
}

void ExpectVolumeAnswer(const HttpResponse& response, const ExpectedAnswer& expected) {
  SCOPED_TRACE("expected.tsv row " + expected.Name());
  if (expected.httpStatus != 200) {
    ExpectJsonError(response, expected.httpStatus);
    return;
  }
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(IsJsonContentType(response.Header("content-type")))
      << "Content-Type: " << response.Header("content-type");
  const Json::Value answer = response.Json();
  ASSERT_TRUE(answer.isObject()) << response.body;

  ASSERT_TRUE(answer["pixels_above_threshold"].isIntegral()) << response.body;
  const long long count = answer["pixels_above_threshold"].asInt64();
  const double countTolerance =
      static_cast<double>(expected.pixelsAboveThreshold) * expected.countTolerance;
  if (countTolerance == 0) {
    EXPECT_EQ(count, expected.pixelsAboveThreshold);
  } else {
    EXPECT_NEAR(static_cast<double>(count), static_cast<double>(expected.pixelsAboveThreshold),
                countTolerance);
  }

  ASSERT_TRUE(answer["threshold"].isNumeric()) << response.body;
  EXPECT_DOUBLE_EQ(answer["threshold"].asDouble(), expected.threshold);

  const Json::Value& volume = answer["volume_mm3"];
  ASSERT_TRUE(answer.isMember("volume_mm3")) << response.body;
  if (expected.volumeMm3) {
    ASSERT_TRUE(volume.isNumeric()) << response.body;
    const double tolerance = countTolerance == 0
                                 ? kVolumeTolerance
                                 : *expected.volumeMm3 * expected.countTolerance;
    EXPECT_NEAR(volume.asDouble(), *expected.volumeMm3, tolerance);
  } else {
    EXPECT_TRUE(volume.isNull()) << response.body;
    EXPECT_TRUE(answer["voxel_volume_mm3"].isNull()) << response.body;
    const Json::Value& warnings = answer["warnings"];
    ASSERT_TRUE(warnings.isArray()) << "no warnings with a null volume: " << response.body;
    ASSERT_FALSE(warnings.empty()) << response.body;
    for (const Json::Value& warning : warnings) {
      EXPECT_TRUE(warning.isString() && !warning.asString().empty()) << response.body;
    }
  }
}

void ExpectJsonError(const HttpResponse& response, long status) {
  ASSERT_EQ(response.status, status) << response.body;
  EXPECT_TRUE(IsJsonContentType(response.Header("content-type")))
      << "Content-Type: \"" << response.Header("content-type") << "\"";
  const Json::Value body = response.Json();
  ASSERT_TRUE(body.isObject()) << response.body;
  EXPECT_TRUE(body["error"].isString() && !body["error"].asString().empty()) << response.body;
  EXPECT_TRUE(body["detail"].isString() && !body["detail"].asString().empty()) << response.body;
}

}  // namespace mis::test
