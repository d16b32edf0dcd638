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

}  // namespace mis::orthanc
