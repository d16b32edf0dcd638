#pragma once

#include <string>

#include "Image8.h"

namespace mis {

// PNG (libpng; grey or RGB, 8 bits, no interlacing) and baseline JPEG
// (libjpeg-turbo; `quality` 1..100 as libjpeg defines it) files of an 8-bit
// image, in memory. Throw std::invalid_argument when the image's size does
// not match its pixels, std::runtime_error when the library fails.
std::string EncodePng(const Image8& image);
std::string EncodeJpeg(const Image8& image, int quality);

}  // namespace mis
