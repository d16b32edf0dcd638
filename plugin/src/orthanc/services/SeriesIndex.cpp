#include "SeriesIndex.h"

#include <json/value.h>

#include <algorithm>
#include <regex>

#include "DicomPixelReader.h"
#include "Digest.h"
#include "HttpError.h"
#include "OrthancApi.h"
#include "ResultCache.h"
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

namespace {

constexpr size_t kCachedOrders = 256;

// A digest of the series' instance ids and of when it last changed: a new or
// deleted instance changes it, and so does an instance deleted and stored
// again with other content under the same ids (Orthanc's ids come from the
// UIDs) a second or more later. 64 bits of BLAKE2b tell versions of one
// series apart; nothing secret here.
std::string VersionOf(const Json::Value& series) {
  std::vector<std::string> ids;
  for (const Json::Value& id : series["Instances"]) ids.push_back(id.asString());
  std::sort(ids.begin(), ids.end());
  std::string joined = series["LastUpdate"].asString() + "|";
  for (const std::string& id : ids) joined += id + ",";
  return Blake2bHex(joined).substr(0, 16);
}

// The frames of a multi-frame instance in slice order, read from its file's
// functional groups; frame number order when the file cannot say.
std::vector<unsigned> FrameOrderOf(const std::string& instanceId, unsigned frames) {
  std::vector<unsigned> order;
  try {
    const std::string file = InstanceFile(instanceId);
    const DicomPixelReader reader(file.data(), file.size());
    for (const size_t frame : reader.FrameOrder()) order.push_back(static_cast<unsigned>(frame));
  } catch (const std::exception& error) {
    LogWarning("instance " + instanceId + ": frames in frame number order (" + error.what() + ")");
    order.clear();
  }
  if (order.size() != frames) {  // NumberOfFrames as Orthanc indexed it rules
    order.resize(frames);
    for (unsigned frame = 0; frame < frames; ++frame) order[frame] = frame;
  }
  return order;
}

SeriesSlices OrderInstances(const std::string& seriesId, const std::string& version) {
  const std::optional<Json::Value> instances = RestApiGetJson("/series/" + seriesId + "/instances");
  if (!instances || !instances->isArray()) {
    throw HttpError(404, "unknown_series", "the series \"" + seriesId + "\" was just deleted");
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
  series.version = version;
  for (size_t index : OrderSlices(geometry)) {
    series.instances.push_back(geometry[index].id);
    series.frames.push_back(frames[index]);
  }
  if (series.instances.size() == 1 && series.frames[0] > 1) {
    series.frameOrder = FrameOrderOf(series.instances[0], series.frames[0]);
  }
  return series;
}

}  // namespace

SeriesSlices LoadSeriesSlices(const std::string& seriesId) {
  CheckOrthancId(seriesId);
  // /series/{id} checks that the id is a series' (Orthanc 1.10 answers
  // /series/{id}/instances for an id of any level) and lists its instances,
  // which is all the hot path needs: the order is cached per version.
  const std::optional<Json::Value> series = RestApiGetJson("/series/" + seriesId);
  if (!series || !(*series)["Instances"].isArray()) {
    throw HttpError(404, "unknown_series", "no stored series has the id \"" + seriesId + "\"");
  }
  if ((*series)["Instances"].empty()) {
    throw HttpError(422, "empty_series", "the series has no instance");
  }
  static ResultCache<SeriesSlices> orders(kCachedOrders);
  const std::string version = VersionOf(*series);
  const std::string key = seriesId + "|" + version;
  if (auto cached = orders.Find(key)) return *cached;
  auto ordered = std::make_shared<const SeriesSlices>(OrderInstances(seriesId, version));
  orders.Store(key, ordered);
  return *ordered;
}

MiddleSlice FindMiddleSlice(const SeriesSlices& series) {
  MiddleSlice middle;
  if (series.instances.size() == 1 && series.frames[0] > 1) {
    middle.instanceId = series.instances[0];
    middle.count = series.frames[0];
    middle.index = MiddleIndex(middle.count);
    middle.frame = series.frameOrder.size() == middle.count
                       ? series.frameOrder[middle.index]
                       : static_cast<unsigned>(middle.index);
  } else {
    middle.count = series.instances.size();
    middle.index = MiddleIndex(middle.count);
    middle.instanceId = series.instances[middle.index];
    middle.frame = series.frames[middle.index] / 2;  // a multi-frame slice: its own middle
  }
  return middle;
}

}  // namespace mis::orthanc
