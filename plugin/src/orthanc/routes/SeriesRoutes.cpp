#include "SeriesRoutes.h"

#include <json/value.h>

#include <locale>
#include <optional>
#include <sstream>

#include "AsciiText.h"
#include "CodeExtensions.h"
#include "DecodedImage.h"
#include "DefaultVolume.h"
#include "ImageEncoding.h"
#include "OrthancApi.h"
#include "PatientDataAudit.h"
#include "PersonName.h"
#include "PluginState.h"
#include "ResultCache.h"
#include "SeriesIndex.h"
#include "SeriesStatistics.h"
#include "SlicePicture.h"
#include "VolumeAnswer.h"

namespace mis::orthanc {
namespace {

constexpr size_t kCachedPictures = 256;
constexpr int kJpegQuality = 90;

struct RenderedSlice {
  std::string bytes;
  std::string contentType;
  MiddleSlice middle;
  // The header X-Pixel-Spacing: PixelSpacing as the file says it, row
  // spacing then column spacing in mm (PS3.3 §10.7.1.3); empty if unknown.
  std::string pixelSpacing;
};

// "row\column" in mm, for X-Pixel-Spacing; empty unless both are known.
std::string PixelSpacingHeader(const DicomImageInfo& info) {
  if (!info.pixelSpacingRow || !info.pixelSpacingColumn) return "";
  std::ostringstream text;
  text.imbue(std::locale::classic());
  text << *info.pixelSpacingRow << '\\' << *info.pixelSpacingColumn;
  return text.str();
}

// [row, column] in mm, or null when either is unknown.
Json::Value PixelSpacingJson(const DicomImageInfo& info) {
  if (!info.pixelSpacingRow || !info.pixelSpacingColumn) return Json::Value();
  Json::Value spacing(Json::arrayValue);
  spacing.append(*info.pixelSpacingRow);
  spacing.append(*info.pixelSpacingColumn);
  return spacing;
}

// What the client asked to see of the middle slice.
struct SliceQuery {
  bool jpeg = false;
  std::optional<WindowLevel> window;
  bool overlay = false;

  std::string Key() const {
    std::string key = jpeg ? "jpeg" : "png";
    if (window) key += "|" + std::to_string(window->center) + "|" + std::to_string(window->width);
    return key + (overlay ? "|overlay" : "");
  }
};

// The series of /api/series/{id}/..., or the default volume.
std::string TargetSeries(const RestRequest& request) {
  if (request.GroupCount() == 0) return DefaultSeriesId();
  WaitForDefaultVolumeImport();  // a series of data/ may still be half imported
  return request.Group(0);
}

SliceQuery ParseSliceQuery(const RestRequest& request) {
  SliceQuery query;
  const std::string format = request.HasQuery("format") ? request.Query("format") : "png";
  if (format != "png" && format != "jpeg") {
    throw HttpError(400, "bad_query", "format is png or jpeg, not \"" + format + "\"");
  }
  query.jpeg = format == "jpeg";
  const bool center = request.HasQuery("window-center");
  const bool width = request.HasQuery("window-width");
  if (center != width) {
    throw HttpError(400, "bad_query", "give window-center and window-width together");
  }
  if (center) {
    query.window = WindowLevel{request.QueryRealNumber("window-center"),
                               request.QueryRealNumber("window-width")};
    if (query.window->width < 1) throw HttpError(400, "bad_query", "window-width must be >= 1");
  }
  const std::string overlay = request.Query("overlay");
  if (!overlay.empty() && overlay != "threshold" && overlay != "none") {
    throw HttpError(400, "bad_query", "overlay is threshold or none, not \"" + overlay + "\"");
  }
  query.overlay = overlay == "threshold";
  return query;
}

RenderedSlice Render(const SeriesSlices& series, const SliceQuery& query, double threshold) {
  RenderedSlice rendered;
  rendered.middle = FindMiddleSlice(series);
  rendered.contentType = query.jpeg ? "image/jpeg" : "image/png";
  const DecodedImage image(InstanceFile(rendered.middle.instanceId));
  rendered.pixelSpacing = PixelSpacingHeader(image.Info());
  if (image.IsColour()) {
    if (query.overlay) {
      throw HttpError(422, "colour_image",
                      "This is a colour image: the threshold overlay marks grey-scale values, "
                      "as in CT or MR, so it cannot be drawn here. The image can be viewed "
                      "without the overlay.");
    }
    // Shown as stored: a window applies to grey-scale values only.
    const Image8 pixels = image.ColourFrame(rendered.middle.frame);
    rendered.bytes = query.jpeg ? EncodeJpeg(pixels, kJpegQuality) : EncodePng(pixels);
    return rendered;
  }
  PictureRequest picture;
  picture.frame = rendered.middle.frame;
  picture.window = query.window;
  if (query.overlay) {
    // Normalized over the whole series, as the series volume counts.
    const auto statistics = StatisticsOf(series, threshold);
    picture.overlay = true;
    picture.minimum = statistics->minimum;
    picture.maximum = statistics->maximum;
    picture.threshold = threshold;
  }
  const Image8 pixels = PictureOfFrame(image.Info(), image.Samples(), picture);
  rendered.bytes = query.jpeg ? EncodeJpeg(pixels, kJpegQuality) : EncodePng(pixels);
  return rendered;
}

// The PatientName of a stored instance of the series, decoded by us from its
// raw bytes when it uses code extensions (ISO 2022 escape sequences), which
// Orthanc 1.10 reads wrongly ("-AMller^Zo" for "ESC - A M\xFCller^Zo\xEB").
// Nothing otherwise, or when the series has no instance left or the value
// does not decode: then Orthanc's reading, already in its index, stands.
std::optional<std::string> DecodedPatientName(const std::string& seriesId) {
  const std::optional<Json::Value> series = RestApiGetJson("/series/" + seriesId);
  if (!series) return std::nullopt;
  const Json::Value& instances = (*series)["Instances"];
  if (!instances.isArray() || instances.empty() || !instances[0].isString()) return std::nullopt;
  const std::string instance = "/instances/" + instances[0].asString() + "/content/";
  const std::optional<std::string> raw = RestApiGetBytes(instance + "0010-0010");
  if (!raw) return std::nullopt;
  const std::optional<std::string> characterSets = RestApiGetBytes(instance + "0008-0005");
  std::optional<std::string> name = DecodeCodeExtensions(*raw, characterSets.value_or(""), true);
  if (name) *name = std::string(TrimDicomPadding(*name));
  return name;
}

void RequireGet(const RestRequest& request) { request.RequireMethod({OrthancPluginHttpMethod_Get}); }

}  // namespace

void HandlePatientName(const RestRequest& request, RestResponse& response) {
  RequireGet(request);
  const std::string seriesId = TargetSeries(request);
  CheckOrthancId(seriesId);
  const std::optional<Json::Value> patient = RestApiGetJson("/series/" + seriesId + "/patient");
  if (!patient) {
    throw HttpError(404, "unknown_series", "no stored series has the id \"" + seriesId + "\"");
  }
  const Json::Value& tags = (*patient)["MainDicomTags"];
  const std::string name = DecodedPatientName(seriesId).value_or(tags["PatientName"].asString());
  const PersonNameParts parts = SplitPersonName(name);
  Json::Value body(Json::objectValue);
  body["patient_name"] = name;
  body["patient_name_parts"]["family"] = parts.family;
  body["patient_name_parts"]["given"] = parts.given;
  body["patient_name_parts"]["middle"] = parts.middle;
  body["patient_name_parts"]["prefix"] = parts.prefix;
  body["patient_name_parts"]["suffix"] = parts.suffix;
  body["patient_id"] = tags["PatientID"].asString();
  body["series"] = seriesId;
  AuditPatientDataRead(request, seriesId);
  response.SetHeader("Cache-Control", "no-store");
  response.SendJson(body);
}

void HandleDefaultSeries(const RestRequest& request, RestResponse& response) {
  RequireGet(request);
  Json::Value body(Json::objectValue);
  body["series"] = DefaultSeriesId();
  response.SetHeader("Cache-Control", "no-store");
  response.SendJson(body);
}

void HandleMiddleSlice(const RestRequest& request, RestResponse& response) {
  RequireGet(request);
  static ResultCache<RenderedSlice> cache(kCachedPictures);
  const SeriesSlices series = LoadSeriesSlices(TargetSeries(request));
  const SliceQuery query = ParseSliceQuery(request);
  const double threshold = GetPluginConfiguration().threshold;
  const std::string key = series.seriesId + "|" + series.version + "|" + query.Key() + "|" +
                          std::to_string(threshold);
  std::shared_ptr<const RenderedSlice> rendered = cache.Find(key);
  if (!rendered) {
    rendered = std::make_shared<const RenderedSlice>(Render(series, query, threshold));
    cache.Store(key, rendered);
  }
  AuditPatientDataRead(request, series.seriesId);
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Slice-Series", series.seriesId);
  response.SetHeader("X-Slice-Instance", rendered->middle.instanceId);
  response.SetHeader("X-Slice-Index", std::to_string(rendered->middle.index));
  response.SetHeader("X-Slice-Count", std::to_string(rendered->middle.count));
  response.SetHeader("X-Slice-Frame", std::to_string(rendered->middle.frame));
  // Pixels need not be square (CR, DX, ultrasound, many MR): the image keeps
  // one sample a pixel, and says how to display it.
  if (!rendered->pixelSpacing.empty()) response.SetHeader("X-Pixel-Spacing", rendered->pixelSpacing);
  response.SendBytes(rendered->bytes, rendered->contentType);
}

void HandleMiddleSliceInfo(const RestRequest& request, RestResponse& response) {
  RequireGet(request);
  const SeriesSlices series = LoadSeriesSlices(TargetSeries(request));
  const MiddleSlice middle = FindMiddleSlice(series);
  const DecodedImage image(InstanceFile(middle.instanceId));
  const DicomImageInfo& info = image.Info();
  Json::Value body(Json::objectValue);
  body["series"] = series.seriesId;
  body["instance"] = middle.instanceId;
  body["sop_instance_uid"] = info.sopInstanceUid;
  body["index"] = Json::UInt64(middle.index);
  body["count"] = Json::UInt64(middle.count);
  body["frame"] = middle.frame;
  body["rows"] = info.rows;
  body["columns"] = info.columns;
  body["photometric_interpretation"] = info.photometricInterpretation;
  body["pixel_spacing_mm"] = PixelSpacingJson(info);
  body["window_center"] = info.windowCenter ? Json::Value(*info.windowCenter) : Json::Value();
  body["window_width"] = info.windowWidth ? Json::Value(*info.windowWidth) : Json::Value();
  AuditPatientDataRead(request, series.seriesId);
  response.SetHeader("Cache-Control", "no-store");
  response.SendJson(body);
}

void HandleSeriesVolume(const RestRequest& request, RestResponse& response) {
  RequireGet(request);
  const SeriesSlices series = LoadSeriesSlices(TargetSeries(request));
  const double threshold = GetPluginConfiguration().threshold;
  const auto statistics = StatisticsOf(series, threshold);

  VolumeAnswer answer;
  answer.image = statistics->firstSlice;
  answer.image.frames = static_cast<unsigned>(statistics->frames);
  answer.threshold = threshold;
  answer.count = ThresholdCount{statistics->minimum, statistics->maximum, statistics->above};
  const DicomImageInfo& first = statistics->firstSlice;
  if (!first.pixelSpacingRow || !first.pixelSpacingColumn || !first.sliceThickness) {
    throw HttpError(422, "no_spacing",
                    std::string("the series has no usable ") +
                        (first.sliceThickness ? "PixelSpacing" : "SliceThickness") +
                        ": its volume in mm3 cannot be computed");
  }
  answer.voxelVolumeMm3 = *first.pixelSpacingRow * *first.pixelSpacingColumn * *first.sliceThickness;
  Json::Value body = ToJson(answer);
  body.removeMember("sop_instance_uid");
  body["series"] = series.seriesId;
  body["slices"] = Json::UInt64(statistics->slices);
  AuditPatientDataRead(request, series.seriesId);
  response.SetHeader("Cache-Control", "no-store");
  response.SendJson(body);
}

}  // namespace mis::orthanc
