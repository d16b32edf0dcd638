#include "OrthancImageDecoder.h"

#include <cstring>

#include "OrthancApi.h"

namespace mis::orthanc {
namespace {

bool SampleTypeOf(OrthancPluginPixelFormat format, SampleType& type, unsigned& bytes) {
  switch (format) {
    case OrthancPluginPixelFormat_Grayscale8: type = SampleType::kUint8; bytes = 1; return true;
    case OrthancPluginPixelFormat_Grayscale16: type = SampleType::kUint16; bytes = 2; return true;
    case OrthancPluginPixelFormat_SignedGrayscale16: type = SampleType::kInt16; bytes = 2; return true;
    case OrthancPluginPixelFormat_Grayscale32: type = SampleType::kUint32; bytes = 4; return true;
    case OrthancPluginPixelFormat_Float32: type = SampleType::kFloat32; bytes = 4; return true;
    default: return false;
  }
}

// Appends the rows of an image Orthanc decoded to `out`, without the padding
// its pitch may add at the end of each row.
void AppendRows(OrthancPluginImage* image, unsigned bytesPerPixel, std::vector<uint8_t>& out) {
  OrthancPluginContext* context = Context();
  const uint32_t height = OrthancPluginGetImageHeight(context, image);
  const uint32_t pitch = OrthancPluginGetImagePitch(context, image);
  const size_t rowBytes = size_t{OrthancPluginGetImageWidth(context, image)} * bytesPerPixel;
  const auto* buffer = static_cast<const uint8_t*>(OrthancPluginGetImageBuffer(context, image));
  for (uint32_t row = 0; row < height; ++row) {
    out.insert(out.end(), buffer + size_t{row} * pitch, buffer + size_t{row} * pitch + rowBytes);
  }
}

}  // namespace

PixelSamples DecodeWithOrthanc(std::string_view file, const DicomImageInfo& info,
                               const UnsupportedTransferSyntax& unsupported,
                               std::vector<uint8_t>& storage) {
  PixelSamples samples;
  unsigned bytesPerSample = 0;
  storage.clear();
  for (unsigned frame = 0; frame < info.frames; ++frame) {
    OrthancImage image(OrthancPluginDecodeDicomImage(Context(), file.data(), file.size(), frame));
    if (image.Get() == nullptr) throw unsupported;

    OrthancPluginContext* context = Context();
    SampleType type;
    unsigned bytes = 0;
    if (!SampleTypeOf(OrthancPluginGetImagePixelFormat(context, image.Get()), type, bytes)) {
      throw HttpError(422, "unsupported_pixel_format",
                      "the decoded image is not a monochrome image that can be thresholded");
    }
    if (frame == 0) {
      samples.type = type;
      bytesPerSample = bytes;
      storage.reserve(size_t{OrthancPluginGetImageWidth(context, image.Get())} *
                      OrthancPluginGetImageHeight(context, image.Get()) * bytes * info.frames);
    } else if (type != samples.type) {
      throw HttpError(400, "damaged_dicom", "frames decode to different pixel formats");
    }
    AppendRows(image.Get(), bytesPerSample, storage);
  }
  samples.data = storage.data();
  samples.count = bytesPerSample == 0 ? 0 : storage.size() / bytesPerSample;
  samples.bitsStored = bytesPerSample * 8;
  samples.highBit = samples.bitsStored - 1;
  if (samples.count == 0) throw unsupported;
  // Orthanc's decoders follow the codestream's sign; the data set's governs.
  return AsTheDataSetSays(samples, info);
}

Image8 DecodeColourWithOrthanc(std::string_view file, unsigned frame,
                               const UnsupportedTransferSyntax& unsupported) {
  OrthancImage image(OrthancPluginDecodeDicomImage(Context(), file.data(), file.size(), frame));
  OrthancPluginContext* context = Context();
  if (image.Get() == nullptr ||
      OrthancPluginGetImagePixelFormat(context, image.Get()) != OrthancPluginPixelFormat_RGB24) {
    throw unsupported;
  }
  Image8 picture;
  picture.width = OrthancPluginGetImageWidth(context, image.Get());
  picture.height = OrthancPluginGetImageHeight(context, image.Get());
  picture.channels = 3;
  AppendRows(image.Get(), 3, picture.pixels);
  return picture;
}

}  // namespace mis::orthanc
