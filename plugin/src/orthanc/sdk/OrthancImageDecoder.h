#pragma once

#include <cstdint>
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

// Frame `frame` of a colour DICOM file as 8-bit RGB through Orthanc's
// decoders (RGB24), for what DCMTK cannot decode; rethrows `unsupported`
// when Orthanc cannot decode it either, or gives no RGB.
Image8 DecodeColourWithOrthanc(std::string_view file, unsigned frame,
                               const UnsupportedTransferSyntax& unsupported);

}  // namespace mis::orthanc
