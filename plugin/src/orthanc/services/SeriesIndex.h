#pragma once

#include <string>
#include <vector>

namespace mis::orthanc {

// The instances of a stored series in slice order, as the README defines it
// ("The stored volume": along the normal of the image plane).
struct SeriesSlices {
  std::string seriesId;
  // Changes whenever an instance is added or removed (on any node sharing the
  // index), so that cached results keyed by it never go stale.
  std::string version;
  std::vector<std::string> instances;  // ordered
  std::vector<unsigned> frames;        // NumberOfFrames of each, same order
  // A series of one multi-frame instance, whose frames are its slices: the
  // frames in slice order (DicomPixelReader::FrameOrder); else empty.
  std::vector<unsigned> frameOrder;
};

// Throws HttpError 404 unless `id` has the form of an Orthanc id (so that no
// other text reaches a REST path).
void CheckOrthancId(const std::string& id);

// Reads the series from Orthanc's index. Throws HttpError 404 for an unknown
// or malformed id, 422 for a series without instances.
SeriesSlices LoadSeriesSlices(const std::string& seriesId);

// Which frame of which instance is the middle slice, and out of how many:
// the middle of the slice order, which for the frames of one multi-frame
// instance is their order in space, not their numbers.
struct MiddleSlice {
  std::string instanceId;
  unsigned frame = 0;  // within the instance
  size_t index = 0;    // in slice order (frames, for a single multi-frame instance)
  size_t count = 0;
};
MiddleSlice FindMiddleSlice(const SeriesSlices& series);

}  // namespace mis::orthanc
