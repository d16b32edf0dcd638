#include "DecodedImage.h"

#include "OrthancImageDecoder.h"

namespace mis::orthanc {

DecodedImage::DecodedImage(std::string_view file)
    : reader_(std::make_unique<DicomPixelReader>(file.data(), file.size())) {
  if (reader_->IsColour()) {
    file_ = std::string(file);
    return;
  }
  try {
    samples_ = reader_->Samples();
  } catch (const UnsupportedTransferSyntax& unsupported) {
    samples_ = DecodeWithOrthanc(file, reader_->Info(), unsupported, decodedByOrthanc_);
  }
}

const PixelSamples& DecodedImage::Samples() const {
  if (reader_->IsColour()) reader_->Samples();  // throws the colour image's 422
  return samples_;
}

Image8 DecodedImage::ColourFrame(unsigned frame) const {
  try {
    return reader_->ColourFrame(frame);
  } catch (const UnsupportedTransferSyntax& unsupported) {
    return DecodeColourWithOrthanc(file_, frame, unsupported);
  }
}

}  // namespace mis::orthanc
