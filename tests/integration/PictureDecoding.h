#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mis::test {

// A picture as a real decoder (libpng, libjpeg) read it, without conversion:
// what the server sent, not what a viewer would make of it.
struct DecodedPicture {
  unsigned width = 0;
  unsigned height = 0;
  unsigned channels = 0;  // 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA
  unsigned bitDepth = 0;  // bits per channel
  int pngColorType = -1;  // PNG_COLOR_TYPE_* for a PNG, -1 for a JPEG
  std::vector<uint8_t> pixels;  // rows top to bottom, channels interleaved (8-bit depth only)

  uint8_t At(unsigned x, unsigned y, unsigned channel = 0) const {
    return pixels[(size_t{y} * width + x) * channels + channel];
  }
};

// Throw std::runtime_error when the bytes are not a valid picture.
DecodedPicture DecodePng(const std::string& bytes);
DecodedPicture DecodeJpeg(const std::string& bytes);

// A binary PGM (P5) or PPM (P6), maxval 255, as tests/integration/dicom_reference.py
// writes them.
DecodedPicture ReadPgm(const std::filesystem::path& path);

// Standard base64 (RFC 4648, with padding); throws on other characters.
std::string DecodeBase64(const std::string& text);

}  // namespace mis::test
