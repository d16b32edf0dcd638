#include "DecodedImage.h"

#include "OrthancImageDecoder.h"

namespace mis::orthanc {

DecodedImage::DecodedImage(std::string_view file)
    : reader_(std::make_unique<DicomPixelReader>(file.data(), file.size())) {
  try {
    samples_ = reader_->Samples();
  } catch (const UnsupportedTransferSyntax& unsupported) {
    samples_ = DecodeWithOrthanc(file, reader_->Info(), unsupported, decodedByOrthanc_);
  }
}

}  // namespace mis::orthanc
