#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "DicomPixelReader.h"

namespace mis::orthanc {

// A DICOM file decoded by DCMTK, or by Orthanc's decoders when DCMTK has none
// for its transfer syntax. The file's bytes are read during construction only.
class DecodedImage {
 public:
  explicit DecodedImage(std::string_view file);
  const DicomImageInfo& Info() const { return reader_->Info(); }
  const PixelSamples& Samples() const { return samples_; }

 private:
  std::unique_ptr<DicomPixelReader> reader_;
  std::vector<uint8_t> decodedByOrthanc_;
  PixelSamples samples_;
};

}  // namespace mis::orthanc
