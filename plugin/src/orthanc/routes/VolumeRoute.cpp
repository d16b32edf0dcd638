#include "VolumeRoute.h"

#include <json/value.h>

#include <cmath>
#include <vector>

#include "Base64.h"
#include "DecodedImage.h"
#include "DicomNesting.h"
#include "ImageEncoding.h"
#include "MediaType.h"
#include "Multipart.h"
#include "OrthancApi.h"
#include "PatientDataAudit.h"
#include "PluginState.h"
#include "SliceOrder.h"
#include "SlicePicture.h"
#include "VolumeAnswer.h"

namespace mis::orthanc {
namespace {

constexpr double kBytesPerMegabyte = 1024.0 * 1024.0;

// The DICOM bytes of the request, without copying the body.
std::string_view UploadedFile(const RestRequest& request, uint64_t maxBytes) {
  const std::string_view body = request.Body();
  if (body.size() > maxBytes) {
    const auto mebibytes = [](double bytes) {
      return std::to_string(static_cast<uint64_t>(std::ceil(bytes / kBytesPerMegabyte)));
    };
    throw HttpError(413, "upload_too_large",
                    "the upload has " + mebibytes(static_cast<double>(body.size())) +
                        " MiB; the limit is " + mebibytes(static_cast<double>(maxBytes)) +
                        " MiB (MedicalImageServer.MaxUploadMegabytes)",
                    {{"limit_bytes", maxBytes}});
  }
  if (body.empty()) {
    throw HttpError(400, "empty_body", "the request carries no file");
  }
  const std::string contentType = request.Header("content-type");
  const std::string mediaType = MediaType(contentType);
  if (mediaType == "multipart/form-data") {
    return FindFormFile(body, contentType, "file");
  }
  if (mediaType == "application/dicom" || mediaType == "application/octet-stream") {
    return body;
  }
  throw HttpError(415, "unsupported_media_type",
                  "send the file as an application/dicom body (POST), or as multipart/form-data "
                  "with the field \"file\" (PUT), not as \"" + mediaType + "\"");
}

enum class Extra { kNone, kStore, kPreview };

// The upload's middle frame in space (for an enhanced multi-frame image, by
// the frames' positions, as the series routes choose it) with what is
// counted tinted, as a data URI.
std::string PreviewDataUri(const DecodedImage& image, const VolumeAnswer& answer) {
  PictureRequest request;
  const std::vector<size_t> order = image.FrameOrder();
  request.frame = static_cast<unsigned>(order.empty() ? 0 : order[MiddleIndex(order.size())]);
  request.overlay = true;
  request.minimum = answer.count.minimum;
  request.maximum = answer.count.maximum;
  request.threshold = answer.threshold;
  return "data:image/png;base64," +
         EncodeBase64(EncodePng(PictureOfFrame(image.Info(), image.Samples(), request)));
}

void AnswerVolume(const RestRequest& request, RestResponse& response, Extra extra) {
  // PUT exists for multipart forms, which Orthanc 1.10 swallows when POSTed.
  request.RequireMethod({OrthancPluginHttpMethod_Post, OrthancPluginHttpMethod_Put});
  const PluginConfiguration& configuration = GetPluginConfiguration();
  const std::string_view file = UploadedFile(request, configuration.maxUploadBytes);
  const DecodedImage image(file);
  const VolumeAnswer answer = MeasureVolume(image.Info(), image.Samples(), configuration.threshold);
  Json::Value body = ToJson(answer);
  std::string series;
  if (extra == Extra::kStore) {
    const Json::Value stored = RestApiPost("/instances", file.data(), file.size());
    body["stored"]["instance"] = stored["ID"];
    body["stored"]["series"] = stored["ParentSeries"];
    body["stored"]["status"] = stored["Status"];
    series = stored["ParentSeries"].asString();
  } else if (extra == Extra::kPreview) {
    body["preview_png"] = PreviewDataUri(image, answer);
  }
  AuditPatientDataRead(request, series);
  response.SendJson(body);
}

}  // namespace

void HandleVolumeUpload(const RestRequest& request, RestResponse& response) {
  AnswerVolume(request, response, Extra::kNone);
}

void HandleVolumeUploadAndStore(const RestRequest& request, RestResponse& response) {
  AnswerVolume(request, response, Extra::kStore);
}

void HandleVolumeUploadWithPreview(const RestRequest& request, RestResponse& response) {
  AnswerVolume(request, response, Extra::kPreview);
}

void HandleUploadCheck(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Post});
  const size_t checked =
      RequireShallowUpload(request.Body(), request.Header("content-type"), kMaxDecodedDicomBytes);
  Json::Value body(Json::objectValue);
  body["files_checked"] = Json::UInt64(checked);
  response.SendJson(body);
}

}  // namespace mis::orthanc
