#pragma once

#include <optional>
#include <string>
#include <vector>

#include "DicomPixelReader.h"
#include "PixelStatistics.h"

namespace Json {
class Value;
}

namespace mis {

// The thresholded volume of one image (all its frames), as the API answers it.
struct VolumeAnswer {
  DicomImageInfo image;
  double threshold = 0.5;
  ThresholdCount count;
  std::optional<double> voxelVolumeMm3;  // empty when spacing or thickness is missing
  std::vector<std::string> warnings;

  std::optional<double> VolumeMm3() const;
};

// Counts the samples above the threshold and derives the physical volume.
VolumeAnswer MeasureVolume(const DicomImageInfo& image, const PixelSamples& samples,
                           double threshold);

// The whole pipeline on a file in memory, with DCMTK's decoders only.
VolumeAnswer MeasureDicomFile(const void* data, size_t size, double threshold);

// The JSON body of the volume routes (README, "POST /api/volume").
Json::Value ToJson(const VolumeAnswer& answer);

}  // namespace mis
