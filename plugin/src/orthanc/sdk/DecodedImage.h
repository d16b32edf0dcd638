#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "DicomPixelReader.h"

namespace mis::orthanc {

// A DICOM file decoded by DCMTK, or by Orthanc's decoders when DCMTK has none
// for its transfer syntax. A grey-scale image's samples are decoded at once;
// a colour image's frames on request, as RGB.
class DecodedImage {
 public:
  explicit DecodedImage(std::string_view file);
  const DicomImageInfo& Info() const { return reader_->Info(); }
  bool IsColour() const { return reader_->IsColour(); }
  // The samples of a grey-scale image. Throws HttpError 422 "colour_image",
  // in words a clinician understands, for a colour image.
  const PixelSamples& Samples() const;
  // Frame `frame` of a colour image as 8-bit RGB.
  Image8 ColourFrame(unsigned frame) const;
  // The frames in slice order (DicomPixelReader::FrameOrder).
  std::vector<size_t> FrameOrder() const { return reader_->FrameOrder(); }

 private:
  std::string file_;  // a colour image's bytes, for Orthanc's decoders
  std::unique_ptr<DicomPixelReader> reader_;
  std::vector<uint8_t> decodedByOrthanc_;
  PixelSamples samples_;
};

}  // namespace mis::orthanc
