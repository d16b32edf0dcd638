#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "DicomPixelReader.h"
#include "HttpError.h"

namespace mis::orthanc {

// Decodes every frame of a DICOM file through Orthanc's decoders, which include
// those of other plugins (JPEG 2000 when Debian's orthanc-gdcm is loaded). Used
// only when DCMTK has no decoder for the transfer syntax; rethrows `unsupported`
// when Orthanc cannot decode either. The samples live in `storage`.
PixelSamples DecodeWithOrthanc(std::string_view file, const DicomImageInfo& info,
                               const UnsupportedTransferSyntax& unsupported,
                               std::vector<uint8_t>& storage);

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
