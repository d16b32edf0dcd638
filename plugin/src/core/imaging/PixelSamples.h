#pragma once

#include <cstddef>
#include <stdexcept>

namespace mis {

// How stored pixel samples are laid out in memory (host byte order). The
// reader produces them; the statistics and the rendering consume them.
enum class SampleType { kUint8, kInt8, kUint16, kInt16, kUint32, kInt32, kFloat32, kFloat64 };

// A read-only view on the samples of all frames of a monochrome image.
// `bitsStored`/`highBit` describe integer samples whose unused high bits may
// hold garbage (e.g. 12 bits stored in 16 allocated): those bits are masked and
// signed values are sign-extended from bit `bitsStored - 1`, as DICOM defines
// (PS3.5 §8.1.1).
struct PixelSamples {
  SampleType type = SampleType::kUint16;
  const void* data = nullptr;
  size_t count = 0;
  unsigned bitsStored = 16;
  unsigned highBit = 15;
};

// Bytes per sample of each type.
inline size_t SampleSize(SampleType type) {
  switch (type) {
    case SampleType::kUint8:
    case SampleType::kInt8: return 1;
    case SampleType::kUint16:
    case SampleType::kInt16: return 2;
    case SampleType::kUint32:
    case SampleType::kInt32:
    case SampleType::kFloat32: return 4;
    case SampleType::kFloat64: return 8;
  }
  throw std::logic_error("unknown sample type");
}

}  // namespace mis
