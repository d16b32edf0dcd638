// The JSON body of the volume routes (README, "POST /api/volume"), from
// answers made by hand.
#include <gtest/gtest.h>

#include <json/reader.h>
#include <json/value.h>

#include <memory>
#include <string>
#include <vector>

#include "JsonText.h"
#include "VolumeAnswer.h"

namespace mis {
namespace {

// The CT slice of the README (1-101.dcm): 0.9765625 = 125/128 mm, so the voxel is
// 125/128 * 125/128 * 3 = 46875/16384 = 2.86102294921875 mm3 and 50080 voxels
// make 2347500000/16384 = 143280.029296875 mm3, all exact in binary.
VolumeAnswer CtSliceAnswer() {
  VolumeAnswer answer;
  answer.image.rows = 512;
  answer.image.columns = 512;
  answer.image.frames = 1;
  answer.image.pixelSpacingRow = 0.9765625;
  answer.image.pixelSpacingColumn = 0.9765625;
  answer.image.sliceThickness = 3.0;
  answer.image.sopInstanceUid = "1.2.826.0.1.3680043.2.1125.1";
  answer.threshold = 0.5;
  answer.count.minimum = -1024;
  answer.count.maximum = 3071;
  answer.count.above = 50080;
  answer.voxelVolumeMm3 = 2.86102294921875;
  return answer;
}

Json::Value ReadBack(const std::string& text) {
  Json::CharReaderBuilder builder;
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  Json::Value value;
  std::string errors;
  EXPECT_TRUE(reader->parse(text.data(), text.data() + text.size(), &value, &errors)) << errors;
  return value;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(VolumeAnswer, VolumeIsCountTimesVoxelVolume) {
  EXPECT_EQ(CtSliceAnswer().VolumeMm3(), 143280.029296875);
}

TEST(VolumeAnswer, JsonHasTheFieldsOfTheDesign) {
  const Json::Value json = ToJson(CtSliceAnswer());
  EXPECT_EQ(json["pixels_above_threshold"].asUInt64(), 50080u);
  EXPECT_EQ(json["threshold"].asDouble(), 0.5);
  EXPECT_EQ(json["voxel_volume_mm3"].asDouble(), 2.86102294921875);
  EXPECT_EQ(json["volume_mm3"].asDouble(), 143280.029296875);
  EXPECT_EQ(json["rows"].asUInt(), 512u);
  EXPECT_EQ(json["columns"].asUInt(), 512u);
  EXPECT_EQ(json["frames"].asUInt(), 1u);
  ASSERT_TRUE(json["pixel_spacing_mm"].isArray());
  ASSERT_EQ(json["pixel_spacing_mm"].size(), 2u);
  EXPECT_EQ(json["pixel_spacing_mm"][0].asDouble(), 0.9765625);
  EXPECT_EQ(json["pixel_spacing_mm"][1].asDouble(), 0.9765625);
  EXPECT_EQ(json["slice_thickness_mm"].asDouble(), 3.0);
  EXPECT_EQ(json["sop_instance_uid"].asString(), "1.2.826.0.1.3680043.2.1125.1");
  EXPECT_FALSE(json.isMember("warnings"));  // nothing is missing
}

TEST(VolumeAnswer, WrittenNumbersAreExact) {
  const std::string text = WriteJsonText(ToJson(CtSliceAnswer()));
  EXPECT_TRUE(Contains(text, "\"volume_mm3\":143280.029296875")) << text;
  EXPECT_TRUE(Contains(text, "\"voxel_volume_mm3\":2.86102294921875")) << text;
  EXPECT_TRUE(Contains(text, "\"pixels_above_threshold\":50080")) << text;
  EXPECT_TRUE(Contains(text, "\"threshold\":0.5")) << text;
  EXPECT_FALSE(Contains(text, "\n")) << "compact JSON expected: " << text;
  const Json::Value back = ReadBack(text);
  EXPECT_EQ(back["volume_mm3"].asDouble(), 143280.029296875);
  EXPECT_EQ(back["voxel_volume_mm3"].asDouble(), 2.86102294921875);
}

TEST(VolumeAnswer, DecimalsAreWrittenShortest) {
  // MR_small's spacing: 0.3125 is exact, 0.8 is not, but must read "0.8".
  VolumeAnswer answer = CtSliceAnswer();
  answer.image.pixelSpacingRow = 0.3125;
  answer.image.pixelSpacingColumn = 0.3125;
  answer.image.sliceThickness = 0.8;
  answer.threshold = 0.3;
  const std::string text = WriteJsonText(ToJson(answer));
  EXPECT_TRUE(Contains(text, "\"slice_thickness_mm\":0.8,")) << text;
  EXPECT_TRUE(Contains(text, "\"threshold\":0.3,")) << text;
  EXPECT_TRUE(Contains(text, "\"pixel_spacing_mm\":[0.3125,0.3125]")) << text;
}

// A 2 x 2 image with one voxel above 0.5, measured without spacing or thickness.
VolumeAnswer MeasuredWithout(bool spacing, bool thickness) {
  static const std::vector<uint16_t> values = {0, 0, 0, 100};
  PixelSamples samples;
  samples.type = SampleType::kUint16;
  samples.data = values.data();
  samples.count = values.size();
  DicomImageInfo image;
  image.rows = 2;
  image.columns = 2;
  if (spacing) image.pixelSpacingRow = image.pixelSpacingColumn = 0.5;
  if (thickness) image.sliceThickness = 2.0;
  return MeasureVolume(image, samples, 0.5);
}

bool Warns(const VolumeAnswer& answer, const std::string& attribute) {
  for (const std::string& warning : answer.warnings) {
    if (Contains(warning, attribute)) return true;
  }
  return false;
}

TEST(VolumeAnswer, MissingSpacingGivesNullVolumeAndAWarning) {
  const VolumeAnswer answer = MeasuredWithout(false, true);
  EXPECT_EQ(answer.count.above, 1u);
  EXPECT_FALSE(answer.VolumeMm3());
  EXPECT_TRUE(Warns(answer, "PixelSpacing"));
  EXPECT_FALSE(Warns(answer, "SliceThickness"));

  const Json::Value json = ReadBack(WriteJsonText(ToJson(answer)));
  EXPECT_EQ(json["pixels_above_threshold"].asUInt64(), 1u);
  EXPECT_TRUE(json["volume_mm3"].isNull());
  EXPECT_TRUE(json["voxel_volume_mm3"].isNull());
  EXPECT_TRUE(json["pixel_spacing_mm"][0].isNull());
  EXPECT_EQ(json["slice_thickness_mm"].asDouble(), 2.0);
  ASSERT_TRUE(json["warnings"].isArray());
  ASSERT_EQ(json["warnings"].size(), 1u);
  EXPECT_TRUE(Contains(json["warnings"][0].asString(), "PixelSpacing"));
}

TEST(VolumeAnswer, MissingThicknessGivesNullVolumeAndAWarning) {
  const VolumeAnswer answer = MeasuredWithout(true, false);
  EXPECT_FALSE(answer.VolumeMm3());
  EXPECT_TRUE(Warns(answer, "SliceThickness"));
  EXPECT_FALSE(Warns(answer, "PixelSpacing"));
  const Json::Value json = ToJson(answer);
  EXPECT_TRUE(json["volume_mm3"].isNull());
  EXPECT_TRUE(json["slice_thickness_mm"].isNull());
}

TEST(VolumeAnswer, BothPresentGiveTheVolume) {
  // 1 voxel of 0.5 * 0.5 * 2 = 0.5 mm3.
  const VolumeAnswer answer = MeasuredWithout(true, true);
  EXPECT_EQ(answer.voxelVolumeMm3, 0.5);
  EXPECT_EQ(answer.VolumeMm3(), 0.5);
  EXPECT_TRUE(answer.warnings.empty());
}

}  // namespace
}  // namespace mis
