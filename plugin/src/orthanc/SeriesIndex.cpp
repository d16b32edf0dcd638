#include "SeriesIndex.h"

#include <json/value.h>

#include <algorithm>
#include <regex>

#include "HttpError.h"
#include "OrthancApi.h"
#include "Secrets.h"
#include "SliceOrder.h"

namespace mis::orthanc {
namespace {

// Orthanc ids are SHA-1 digests in five groups; anything else is not ours to
// pass into a REST path.
bool IsOrthancId(const std::string& id) {
  static const std::regex pattern("[0-9a-f]{8}(-[0-9a-f]{8}){4}");
  return std::regex_match(id, pattern);
}

std::optional<long> InstanceNumber(const Json::Value& tags) {
  try {
    if (tags["InstanceNumber"].isString()) return std::stol(tags["InstanceNumber"].asString());
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

void CheckOrthancId(const std::string& id) {
  if (!IsOrthancId(id)) {
    throw HttpError(404, "unknown_series", "no stored series has the id \"" + id + "\"");
  }
}

SeriesSlices LoadSeriesSlices(const std::string& seriesId) {
  CheckOrthancId(seriesId);
  // Orthanc 1.10 answers /series/{id}/instances for an id of any level ([] for a patient or a
  // study, an error for an instance): only /series/{id} checks that the id is a series'.
  const std::optional<Json::Value> instances =
      RestApiGetJson("/series/" + seriesId) ? RestApiGetJson("/series/" + seriesId + "/instances")
                                            : std::nullopt;
  if (!instances || !instances->isArray()) {
    throw HttpError(404, "unknown_series", "no stored series has the id \"" + seriesId + "\"");
  }
  if (instances->empty()) {
    throw HttpError(422, "empty_series", "the series has no instance");
  }

  std::vector<SliceGeometry> geometry;
  std::vector<unsigned> frames;
  for (const Json::Value& instance : *instances) {
    const Json::Value& tags = instance["MainDicomTags"];
    SliceGeometry slice;
    slice.id = instance["ID"].asString();
    slice.position = ParseVector3(tags["ImagePositionPatient"].asString());
    slice.orientation = ParseVector6(tags["ImageOrientationPatient"].asString());
    slice.instanceNumber = InstanceNumber(tags);
    slice.sopInstanceUid = tags["SOPInstanceUID"].asString();
    geometry.push_back(slice);
    long count = 1;
    try {
      if (tags["NumberOfFrames"].isString()) count = std::stol(tags["NumberOfFrames"].asString());
    } catch (const std::exception&) {
    }
    frames.push_back(count > 0 ? static_cast<unsigned>(count) : 1);
  }

  SeriesSlices series;
  series.seriesId = seriesId;
  std::vector<std::string> ids;
  for (size_t index : OrderSlices(geometry)) {
    series.instances.push_back(geometry[index].id);
    series.frames.push_back(frames[index]);
    ids.push_back(geometry[index].id);
  }
  std::sort(ids.begin(), ids.end());
  std::string joined;
  for (const std::string& id : ids) joined += id + ",";
  series.version = TokenDigest(joined).substr(0, 16);
  return series;
}

MiddleSlice FindMiddleSlice(const SeriesSlices& series) {
  MiddleSlice middle;
  if (series.instances.size() == 1 && series.frames[0] > 1) {
    middle.instanceId = series.instances[0];
    middle.count = series.frames[0];
    middle.index = MiddleIndex(middle.count);
    middle.frame = static_cast<unsigned>(middle.index);
  } else {
    middle.count = series.instances.size();
    middle.index = MiddleIndex(middle.count);
    middle.instanceId = series.instances[middle.index];
    middle.frame = series.frames[middle.index] / 2;  // a multi-frame slice: its own middle
  }
  return middle;
}

}  // namespace mis::orthanc
