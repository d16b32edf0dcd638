// The field cases (tests/data/field-cases, issue 17) against a server with
// Debian's GDCM plugin loaded, as the shipped configuration runs it: every
// row of field-cases/expected.tsv (pydicom + numpy, PS3.5 §8.1.1) posted to
// /api/volume and, stored, measured as a series; the JPEG 2000 file whose
// codestream says unsigned gives the figures of its uncompressed twin.

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <utility>

#include "PictureDecoding.h"
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

// JPEG 2000 files whose codestream says unsigned while the data set says
// signed, each with its uncompressed twin of the same samples and series.
const std::pair<const char*, const char*> kJpeg2000Twins[] = {
    {"28-j2k-unsigned-codestream-signed-dataset.dcm", "28b-twin-uncompressed-same-samples.dcm"},
    {"own-28cd-signed-16bit-j2k-unsigned-codestream.dcm", "own-28cd-signed-16bit-uncompressed.dcm"},
    {"own-28ef-signed-12bit-2-frames-j2k-unsigned-codestream.dcm",
     "own-28ef-signed-12bit-2-frames-uncompressed.dcm"},
};

// Files our routes read as pydicom does but Orthanc refuses to store (400):
// a data set in explicit VR under a meta header that says implicit.
bool OrthancRefusesToStore(const std::filesystem::path& file) {
  return file.filename() == "own-28h-explicit-data-set-implicit-meta.dcm";
}

bool IsJpeg2000Twin(const std::filesystem::path& file) {
  for (const auto& [jpeg2000, twin] : kJpeg2000Twins) {
    if (file.filename() == twin) return true;
  }
  return false;
}

// Every file with figures, posted and stored as a series; the twins of the
// JPEG 2000 files are measured as series with them, below.
TEST_F(FieldCasesTest, EveryRowOfTheTable) {
  size_t measured = 0;
  for (const ExpectedAnswer& row : ReadExpectedAnswers("field-cases")) {
    if (row.httpStatus != 200) continue;  // the core's 422s: JPEG 2000, below
    const std::string file = ReadFileBytes(row.path);
    ExpectVolumeAnswer(PostDicom(Http(), file), row);
    if (OrthancRefusesToStore(row.path)) {
      EXPECT_EQ(Http().Post("/instances", file, "application/dicom").status, 400) << row.Name();
    } else if (!IsJpeg2000Twin(row.path)) {
      ExpectVolumeAnswer(SeriesVolume(Http(), file), row);
    }
    ++measured;
  }
  EXPECT_GE(measured, 7u);
}

// Kind 4: GDCM followed the codestream's sign (185 pixels, 35..4094 for the
// team's sample). The data set's governs: the twin's figures, and stored
// together, one series of twice the twin's figures.
TEST_F(FieldCasesTest, Jpeg2000TakesItsSignFromTheDataSet) {
  if (!std::filesystem::exists(kGdcmPlugin)) GTEST_SKIP() << "orthanc-gdcm is not installed";
  for (const auto& [jpeg2000, twinFile] : kJpeg2000Twins) {
    SCOPED_TRACE(jpeg2000);
    const ExpectedAnswer twin = FindExpectedAnswer(twinFile, 0.5, "field-cases");
    const std::string file = ReadFileBytes(TestDataDirectory() / "field-cases" / jpeg2000);
    const HttpResponse posted = PostDicom(Http(), file);
    ExpectVolumeAnswer(posted, twin);
    const HttpResponse twinPosted = PostDicom(Http(), ReadFileBytes(twin.path));
    EXPECT_EQ(posted.Json()["min_value"], twinPosted.Json()["min_value"]) << posted.body;
    EXPECT_EQ(posted.Json()["max_value"], twinPosted.Json()["max_value"]) << posted.body;

    ASSERT_EQ(Http().Post("/instances", ReadFileBytes(twin.path), "application/dicom").status, 200);
    const HttpResponse series = SeriesVolume(Http(), file);
    ASSERT_EQ(series.status, 200) << series.body;
    EXPECT_EQ(series.Json()["slices"].asUInt(), 2u) << series.body;
    EXPECT_EQ(series.Json()["pixels_above_threshold"].asInt64(), 2 * twin.pixelsAboveThreshold);
    EXPECT_DOUBLE_EQ(series.Json()["volume_mm3"].asDouble(), 2 * *twin.volumeMm3);
    EXPECT_EQ(series.Json()["min_value"], twinPosted.Json()["min_value"]) << series.body;
  }
}

// Kind 2: the middle slice of an enhanced multi-frame image was chosen by
// frame number (frame 2, z = 40, for the team's sample). Frames worked out
// by hand from the files' per-frame positions (make_own_cases.py).
TEST_F(FieldCasesTest, TheMiddleSliceOfFramesOutOfOrderIsTheMiddleInSpace) {
  struct Case {
    const char* file;
    unsigned frame;  // in the file
    unsigned index;  // in slice order
    unsigned count;
  };
  for (const Case& expected :
       {Case{"50-enhanced-random-frame-order.dcm", 0, 2, 5},
        Case{"own-50b-enhanced-descending.dcm", 2, 3, 6},
        Case{"own-50c-enhanced-oblique-per-frame-orientation.dcm", 1, 2, 5}}) {
    SCOPED_TRACE(expected.file);
    const HttpResponse stored = Http().Post(
        "/instances", ReadFileBytes(TestDataDirectory() / "field-cases" / expected.file),
        "application/dicom");
    ASSERT_EQ(stored.status, 200) << stored.body;
    const std::string base = "/api/series/" + stored.Json()["ParentSeries"].asString();
    const HttpResponse info = Http().Get(base + "/middle-slice/info");
    ASSERT_EQ(info.status, 200) << info.body;
    EXPECT_EQ(info.Json()["frame"].asUInt(), expected.frame) << info.body;
    EXPECT_EQ(info.Json()["index"].asUInt(), expected.index) << info.body;
    EXPECT_EQ(info.Json()["count"].asUInt(), expected.count) << info.body;
    const HttpResponse png = Http().Get(base + "/middle-slice");
    ASSERT_EQ(png.status, 200) << png.body;
    EXPECT_EQ(png.Header("x-slice-frame"), std::to_string(expected.frame));
    EXPECT_EQ(png.Header("x-slice-index"), std::to_string(expected.index));
  }
}

// Kind 2, the upload's preview: the middle frame in space too. own-50b's
// frames hold 600, 500, ..., 100 (z = 50 ... 0) in an 8 x 8 square on 0:
// normalized over 0..600, frame 2 (in space the middle, 400) is tinted,
// frame 3 (the middle by number, 300: exactly 0.5) is not.
TEST_F(FieldCasesTest, TheUploadsPreviewIsTheMiddleFrameInSpace) {
  const std::string file =
      ReadFileBytes(TestDataDirectory() / "field-cases" / "own-50b-enhanced-descending.dcm");
  const HttpResponse answer = Http().Post("/api/volume/preview", file, "application/dicom");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string uri = answer.Json()["preview_png"].asString();
  const std::string prefix = "data:image/png;base64,";
  ASSERT_EQ(uri.substr(0, prefix.size()), prefix);
  const DecodedPicture preview = DecodePng(DecodeBase64(uri.substr(prefix.size())));
  ASSERT_EQ(preview.channels, 3u);
  unsigned tinted = 0;
  for (unsigned y = 0; y < preview.height; ++y) {
    for (unsigned x = 0; x < preview.width; ++x) tinted += preview.At(x, y, 0) > preview.At(x, y, 1);
  }
  EXPECT_EQ(tinted, 64u);
}

// Kind 6: pixels that are not square. The volume (EveryRowOfTheTable: 168
// pixels x 0.5 x 0.8 x 2 mm = 134.4 mm3) and the rendering's proportions,
// which the image gives as X-Pixel-Spacing, row spacing first, as DICOM does.
TEST_F(FieldCasesTest, NonSquarePixelsSayHowToShowTheSlice) {
  const HttpResponse stored = Http().Post(
      "/instances", ReadFileBytes(TestDataDirectory() / "field-cases" / "own-61c-non-square-pixels.dcm"),
      "application/dicom");
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string base = "/api/series/" + stored.Json()["ParentSeries"].asString();
  const HttpResponse png = Http().Get(base + "/middle-slice");
  ASSERT_EQ(png.status, 200) << png.body;
  EXPECT_EQ(png.Header("x-pixel-spacing"), "0.5\\0.8");
  const HttpResponse info = Http().Get(base + "/middle-slice/info");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.Json()["pixel_spacing_mm"][0].asDouble(), 0.5) << info.body;
  EXPECT_EQ(info.Json()["pixel_spacing_mm"][1].asDouble(), 0.8) << info.body;
}

}  // namespace
}  // namespace mis::test
