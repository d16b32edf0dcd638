// The field cases (tests/data/field-cases, issue 17) against a server with
// Debian's GDCM plugin loaded, as the shipped configuration runs it: every
// row of field-cases/expected.tsv (pydicom + numpy, PS3.5 §8.1.1) posted to
// /api/volume and, stored, measured as a series; the JPEG 2000 file whose
// codestream says unsigned gives the figures of its uncompressed twin.

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "ServerSuite.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

constexpr const char* kGdcmPlugin = "/usr/share/orthanc/plugins/libOrthancGdcm.so";

class FieldCasesTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    if (std::filesystem::exists(kGdcmPlugin)) {
      options.plugins.insert(options.plugins.begin(), kGdcmPlugin);
    }
    StartServer(options);
  }
};

// The stored file's series measured by GET /api/series/{id}/volume.
HttpResponse SeriesVolume(const HttpClient& client, const std::string& file) {
  const HttpResponse stored = client.Post("/instances", file, "application/dicom");
  if (stored.status != 200) return stored;
  return client.Get("/api/series/" + stored.Json()["ParentSeries"].asString() + "/volume");
}

// Each file is the only one of its series here, but for the twin of the
// JPEG 2000 file, which shares its series and is measured by its own test.
TEST_F(FieldCasesTest, EveryRowOfTheTable) {
  size_t measured = 0;
  for (const ExpectedAnswer& row : ReadExpectedAnswers("field-cases")) {
    if (row.httpStatus != 200) continue;  // the core's 422s: see the JPEG 2000 test
    const std::string file = ReadFileBytes(row.path);
    ExpectVolumeAnswer(PostDicom(Http(), file), row);
    if (row.path.filename().string().rfind("28b-", 0) != 0) {
      ExpectVolumeAnswer(SeriesVolume(Http(), file), row);
    }
    ++measured;
  }
  EXPECT_GE(measured, 4u);
}

// Kind 4: GDCM followed the codestream's sign (185 pixels, 35..4094).
TEST_F(FieldCasesTest, Jpeg2000TakesItsSignFromTheDataSet) {
  if (!std::filesystem::exists(kGdcmPlugin)) GTEST_SKIP() << "orthanc-gdcm is not installed";
  const ExpectedAnswer twin =
      FindExpectedAnswer("28b-twin-uncompressed-same-samples.dcm", 0.5, "field-cases");
  const std::string file = ReadFileBytes(TestDataDirectory() / "field-cases" /
                                         "28-j2k-unsigned-codestream-signed-dataset.dcm");
  const HttpResponse posted = PostDicom(Http(), file);
  ExpectVolumeAnswer(posted, twin);
  EXPECT_EQ(posted.Json()["min_value"].asDouble(), -2037.0) << posted.body;
  EXPECT_EQ(posted.Json()["max_value"].asDouble(), 2033.0) << posted.body;

  // Stored, the file joins its twin's series (same SeriesInstanceUID): two
  // slices of the same samples, twice the twin's figures, one range.
  ASSERT_EQ(Http().Post("/instances", ReadFileBytes(twin.path), "application/dicom").status, 200);
  const HttpResponse series = SeriesVolume(Http(), file);
  ASSERT_EQ(series.status, 200) << series.body;
  EXPECT_EQ(series.Json()["slices"].asUInt(), 2u) << series.body;
  EXPECT_EQ(series.Json()["pixels_above_threshold"].asInt64(), 2 * twin.pixelsAboveThreshold);
  EXPECT_DOUBLE_EQ(series.Json()["volume_mm3"].asDouble(), 2 * *twin.volumeMm3);
  EXPECT_EQ(series.Json()["min_value"].asDouble(), -2037.0) << series.body;
}

}  // namespace
}  // namespace mis::test
