#pragma once

#include <cstdint>
#include <memory>

#include "DicomPixelReader.h"
#include "SeriesIndex.h"

namespace mis::orthanc {

// The thresholded volume over a whole stored series: min and max over every
// slice, then the count over every slice.
struct SeriesStatistics {
  DicomImageInfo firstSlice;  // spacing and sizes come from it
  double minimum = 0;
  double maximum = 0;
  double threshold = 0.5;
  uint64_t above = 0;
  size_t slices = 0;  // instances
  size_t frames = 0;  // 2D frames measured
};

// Computed once per series version and threshold, then cached. Throws
// HttpError 422 when the slices have different sizes.
std::shared_ptr<const SeriesStatistics> StatisticsOf(const SeriesSlices& series, double threshold);

}  // namespace mis::orthanc
