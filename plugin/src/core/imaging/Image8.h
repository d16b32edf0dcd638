#pragma once

#include <cstdint>
#include <vector>

namespace mis {

// An 8-bit image, one byte per pixel (grey) or three (RGB), rows top to bottom.
struct Image8 {
  unsigned width = 0;
  unsigned height = 0;
  unsigned channels = 1;  // 1: grey, 3: RGB
  std::vector<uint8_t> pixels;
};

}  // namespace mis
