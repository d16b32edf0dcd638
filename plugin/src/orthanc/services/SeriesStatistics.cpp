#include "SeriesStatistics.h"

#include <vector>

#include "DecodedImage.h"
#include "HttpError.h"
#include "OrthancApi.h"
#include "PixelStatistics.h"
#include "ResultCache.h"

namespace mis::orthanc {
namespace {

// Decoded slices kept between the two passes; beyond this, slices are read
// and decoded again for the second pass rather than held in memory.
constexpr size_t kKeptPixelBytes = size_t{256} * 1024 * 1024;
constexpr size_t kCachedSeries = 64;

size_t PixelBytes(const PixelSamples& samples) {
  switch (samples.type) {
    case SampleType::kUint8: case SampleType::kInt8: return samples.count;
    case SampleType::kUint16: case SampleType::kInt16: return samples.count * 2;
    case SampleType::kFloat64: return samples.count * 8;
    default: return samples.count * 4;
  }
}

std::unique_ptr<DecodedImage> Decode(const std::string& instanceId) {
  const std::string file = InstanceFile(instanceId);
  return std::make_unique<DecodedImage>(file);
}

SeriesStatistics Compute(const SeriesSlices& series, double threshold) {
  SeriesStatistics statistics;
  statistics.threshold = threshold;
  statistics.slices = series.instances.size();
  std::vector<std::unique_ptr<DecodedImage>> kept(series.instances.size());
  size_t keptBytes = 0;

  for (size_t i = 0; i < series.instances.size(); ++i) {
    std::unique_ptr<DecodedImage> image = Decode(series.instances[i]);
    const DicomImageInfo& info = image->Info();
    if (i == 0) {
      statistics.firstSlice = info;
    } else if (info.rows != statistics.firstSlice.rows ||
               info.columns != statistics.firstSlice.columns) {
      throw HttpError(422, "mixed_sizes",
                      "the series mixes slice sizes (" + std::to_string(info.columns) + "x" +
                          std::to_string(info.rows) + " and " +
                          std::to_string(statistics.firstSlice.columns) + "x" +
                          std::to_string(statistics.firstSlice.rows) + ")");
    }
    double low = 0;
    double high = 0;
    FindRange(image->Samples(), low, high);
    statistics.minimum = i == 0 ? low : std::min(statistics.minimum, low);
    statistics.maximum = i == 0 ? high : std::max(statistics.maximum, high);
    statistics.frames += info.frames;
    const size_t bytes = PixelBytes(image->Samples());
    if (keptBytes + bytes <= kKeptPixelBytes) {
      keptBytes += bytes;
      kept[i] = std::move(image);
    }
  }
  for (size_t i = 0; i < series.instances.size(); ++i) {
    if (!kept[i]) kept[i] = Decode(series.instances[i]);
    statistics.above += CountAboveNormalized(kept[i]->Samples(), statistics.minimum,
                                             statistics.maximum, threshold);
    kept[i].reset();
  }
  return statistics;
}

}  // namespace

std::shared_ptr<const SeriesStatistics> StatisticsOf(const SeriesSlices& series, double threshold) {
  static ResultCache<SeriesStatistics> cache(kCachedSeries);
  const std::string key = series.seriesId + "|" + series.version + "|" + std::to_string(threshold);
  if (auto cached = cache.Find(key)) return cached;
  auto computed = std::make_shared<const SeriesStatistics>(Compute(series, threshold));
  cache.Store(key, computed);
  return computed;
}

}  // namespace mis::orthanc
