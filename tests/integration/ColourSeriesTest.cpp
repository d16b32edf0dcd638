// Colour series (issue 17, kind 5): the middle slice answered 422 and the UI
// showed "No image". Now it renders in colour, compared pixel by pixel with
// pydicom's reading of the same frame (dicom_reference.py colour); only what
// is defined on grey-scale values, the threshold overlay and the volume, is
// refused, in words a clinician understands.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ostream>
#include <string>

#include "PictureDecoding.h"
#include "PydicomReference.h"
#include "ServerSuite.h"
#include "TestData.h"

namespace mis::test {
namespace {

using ::testing::HasSubstr;

class ColourSeriesTest : public ServerSuite {};

struct ColourCase {
  const char* file;    // under tests/data
  unsigned frame;      // the middle frame, ⌊frames / 2⌋
  unsigned tolerance;  // per channel: 0 where no colour conversion is computed
};

void PrintTo(const ColourCase& colour, std::ostream* out) { *out << colour.file; }

// pydicom's test files (SC_*: RLE RGB of 8 and 16 bits, 2 frames, YBR_FULL_422)
// and ours (make_own_cases.py: RGB and YBR_FULL uncompressed, a palette).
// YBR conversions round differently in DCMTK and pydicom: within 2; with
// 4:2:2 chroma, shared by two pixels, each upsamples it its own way.
constexpr ColourCase kCases[] = {
    {"corpus/SC_rgb_rle.dcm", 0, 0},
    {"colour/SC_rgb_rle_16bit.dcm", 0, 0},
    {"colour/SC_rgb_rle_2frame.dcm", 1, 0},
    {"colour/SC_ybr_full_422_uncompressed.dcm", 0, 8},
    {"colour/own-rgb-uncompressed.dcm", 0, 0},
    {"colour/own-ybr-full-uncompressed.dcm", 0, 2},
    {"colour/own-palette-colour.dcm", 0, 0},
};

std::string StoreSeries(const HttpClient& client, const std::string& file) {
  const HttpResponse stored = client.Post("/instances", file, "application/dicom");
  if (stored.status != 200) throw std::runtime_error("POST /instances: " + stored.body);
  return stored.Json()["ParentSeries"].asString();
}

class ColourSliceTest : public ServerSuite, public ::testing::WithParamInterface<ColourCase> {};

// One case a test, so that each has a server of its own: pydicom's files
// share their series and instance UIDs.
TEST_P(ColourSliceTest, TheMiddleSliceIsRenderedInColour) {
  const ColourCase& colour = GetParam();
  const auto path = TestDataDirectory() / colour.file;
  const std::string base = "/api/series/" + StoreSeries(Http(), ReadFileBytes(path));
  const HttpResponse png = Http().Get(base + "/middle-slice");
  ASSERT_EQ(png.status, 200) << png.body;
  EXPECT_EQ(png.Header("x-slice-frame"), std::to_string(colour.frame));
  const DecodedPicture served = DecodePng(png.body);
  const DecodedPicture reference =
      PydicomReference("colour", path, " --frame " + std::to_string(colour.frame));
  ASSERT_EQ(served.channels, 3u);
  ASSERT_EQ(served.width, reference.width);
  ASSERT_EQ(served.height, reference.height);
  unsigned worst = 0;
  for (size_t i = 0; i < served.pixels.size(); ++i) {
    worst = std::max(worst, static_cast<unsigned>(std::abs(served.pixels[i] - reference.pixels[i])));
  }
  EXPECT_LE(worst, colour.tolerance);

  const HttpResponse jpeg = Http().Get(base + "/middle-slice?format=jpeg");
  ASSERT_EQ(jpeg.status, 200) << jpeg.body;
  EXPECT_EQ(DecodeJpeg(jpeg.body).channels, 3u);
  const HttpResponse info = Http().Get(base + "/middle-slice/info");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.Json()["frame"].asUInt(), colour.frame);
}

std::string CaseName(const ::testing::TestParamInfo<ColourCase>& info) {
  std::string name = info.param.file;
  name = name.substr(name.find('/') + 1);
  name = name.substr(0, name.find('.'));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, ColourSliceTest, ::testing::ValuesIn(kCases), CaseName);

TEST_F(ColourSeriesTest, OnlyTheOverlayAndTheVolumeAreRefusedInPlainWords) {
  const std::string file = ReadFileBytes(TestDataDirectory() / "corpus" / "SC_rgb_rle.dcm");
  const std::string base = "/api/series/" + StoreSeries(Http(), file);
  for (const std::string& path :
       {base + "/middle-slice?overlay=threshold", base + "/volume", std::string("/api/volume")}) {
    const HttpResponse refused =
        path == "/api/volume" ? Http().Post(path, file, "application/dicom") : Http().Get(path);
    EXPECT_EQ(refused.status, 422) << path << ": " << refused.body;
    EXPECT_EQ(refused.Json()["error"].asString(), "colour_image") << path;
    EXPECT_THAT(refused.Json()["detail"].asString(), HasSubstr("colour image")) << path;
    EXPECT_THAT(refused.Json()["detail"].asString(), HasSubstr("grey-scale")) << path;
  }
}

}  // namespace
}  // namespace mis::test
