#include "VolumeAnswer.h"

#include <json/value.h>

namespace mis {

std::optional<double> VolumeAnswer::VolumeMm3() const {
  if (!voxelVolumeMm3) return std::nullopt;
  return static_cast<double>(count.above) * *voxelVolumeMm3;
}

VolumeAnswer MeasureVolume(const DicomImageInfo& image, const PixelSamples& samples,
                           double threshold) {
  VolumeAnswer answer;
  answer.image = image;
  answer.threshold = threshold;
  answer.count = CountAboveThreshold(samples, threshold);
  if (!image.pixelSpacingRow || !image.pixelSpacingColumn) {
    answer.warnings.push_back(
        "PixelSpacing is missing or invalid: the volume in mm3 cannot be computed");
  }
  if (!image.sliceThickness) {
    answer.warnings.push_back(
        "SliceThickness is missing or invalid: the volume in mm3 cannot be computed");
  }
  if (answer.warnings.empty()) {
    answer.voxelVolumeMm3 = *image.pixelSpacingRow * *image.pixelSpacingColumn *
                            *image.sliceThickness;
  }
  return answer;
}

VolumeAnswer MeasureDicomFile(const void* data, size_t size, double threshold) {
  DicomPixelReader reader(data, size);
  return MeasureVolume(reader.Info(), reader.Samples(), threshold);
}

Json::Value ToJson(const VolumeAnswer& answer) {
  auto optionalNumber = [](const std::optional<double>& value) {
    return value ? Json::Value(*value) : Json::Value(Json::nullValue);
  };
  Json::Value json(Json::objectValue);
  json["pixels_above_threshold"] = Json::UInt64(answer.count.above);
  json["threshold"] = answer.threshold;
  json["voxel_volume_mm3"] = optionalNumber(answer.voxelVolumeMm3);
  json["volume_mm3"] = optionalNumber(answer.VolumeMm3());
  json["rows"] = answer.image.rows;
  json["columns"] = answer.image.columns;
  json["frames"] = answer.image.frames;
  Json::Value spacing(Json::arrayValue);
  spacing.append(optionalNumber(answer.image.pixelSpacingRow));
  spacing.append(optionalNumber(answer.image.pixelSpacingColumn));
  json["pixel_spacing_mm"] = spacing;
  json["slice_thickness_mm"] = optionalNumber(answer.image.sliceThickness);
  json["min_value"] = answer.count.minimum;
  json["max_value"] = answer.count.maximum;
  json["sop_instance_uid"] = answer.image.sopInstanceUid;
  json["transfer_syntax_uid"] = answer.image.transferSyntaxUid;
  if (!answer.warnings.empty()) {
    Json::Value warnings(Json::arrayValue);
    for (const std::string& warning : answer.warnings) warnings.append(warning);
    json["warnings"] = warnings;
  }
  return json;
}

}  // namespace mis
