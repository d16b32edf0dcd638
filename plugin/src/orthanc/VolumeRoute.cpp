#include "VolumeRoute.h"

#include <json/value.h>

#include <vector>

#include "AuditRoute.h"
#include "Multipart.h"
#include "OrthancApi.h"
#include "OrthancImageDecoder.h"
#include "PluginState.h"
#include "VolumeAnswer.h"

namespace mis::orthanc {
namespace {

constexpr double kBytesPerMegabyte = 1024.0 * 1024.0;

// The DICOM bytes of the request, without copying the body.
std::string_view UploadedFile(const RestRequest& request, uint64_t maxBytes) {
  const std::string_view body = request.Body();
  if (body.size() > maxBytes) {
    throw HttpError(413, "upload_too_large",
                    "the upload has " + std::to_string(body.size() / kBytesPerMegabyte) +
                        " MiB; the limit is " + std::to_string(maxBytes / kBytesPerMegabyte) +
                        " MiB (MedicalImageServer.MaxUploadMegabytes)");
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

VolumeAnswer Measure(std::string_view file, double threshold) {
  DicomPixelReader reader(file.data(), file.size());
  std::vector<uint8_t> decodedByOrthanc;
  PixelSamples samples;
  try {
    samples = reader.Samples();
  } catch (const UnsupportedTransferSyntax& unsupported) {
    samples = DecodeWithOrthanc(file, reader.Info(), unsupported, decodedByOrthanc);
  }
  return MeasureVolume(reader.Info(), samples, threshold);
}

void AnswerVolume(const RestRequest& request, RestResponse& response, bool store) {
  // PUT exists for multipart forms, which Orthanc 1.10 swallows when POSTed.
  request.RequireMethod({OrthancPluginHttpMethod_Post, OrthancPluginHttpMethod_Put});
  const PluginConfiguration& configuration = GetPluginConfiguration();
  const std::string_view file = UploadedFile(request, configuration.maxUploadBytes);
  Json::Value body = ToJson(Measure(file, configuration.threshold));
  if (store) {
    const Json::Value stored = RestApiPost("/instances", file.data(), file.size());
    body["stored"]["instance"] = stored["ID"];
    body["stored"]["series"] = stored["ParentSeries"];
    body["stored"]["status"] = stored["Status"];
  }
  AuditRead(request, store ? "/api/volume/store" : "/api/volume",
            store ? body["stored"]["series"].asString() : "");
  response.SendJson(body);
}

}  // namespace

void HandleVolumeUpload(const RestRequest& request, RestResponse& response) {
  AnswerVolume(request, response, false);
}

void HandleVolumeUploadAndStore(const RestRequest& request, RestResponse& response) {
  AnswerVolume(request, response, true);
}

}  // namespace mis::orthanc
