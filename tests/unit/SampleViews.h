#pragma once

// PixelSamples views on test vectors, shared by the unit tests.

#include <cstdint>
#include <vector>

#include "PixelStatistics.h"

namespace mis::test {

template <typename T>
SampleType TypeOf();
template <> inline SampleType TypeOf<uint8_t>() { return SampleType::kUint8; }
template <> inline SampleType TypeOf<int8_t>() { return SampleType::kInt8; }
template <> inline SampleType TypeOf<uint16_t>() { return SampleType::kUint16; }
template <> inline SampleType TypeOf<int16_t>() { return SampleType::kInt16; }
template <> inline SampleType TypeOf<uint32_t>() { return SampleType::kUint32; }
template <> inline SampleType TypeOf<int32_t>() { return SampleType::kInt32; }
template <> inline SampleType TypeOf<float>() { return SampleType::kFloat32; }
template <> inline SampleType TypeOf<double>() { return SampleType::kFloat64; }

// A view on `values` with `bitsStored` significant bits ending at `highBit`.
template <typename T>
PixelSamples View(const std::vector<T>& values, unsigned bitsStored, unsigned highBit) {
  PixelSamples samples;
  samples.type = TypeOf<T>();
  samples.data = values.data();
  samples.count = values.size();
  samples.bitsStored = bitsStored;
  samples.highBit = highBit;
  return samples;
}

// The usual layout: the low `bitsStored` bits (all of them by default).
template <typename T>
PixelSamples View(const std::vector<T>& values, unsigned bitsStored = sizeof(T) * 8) {
  return View(values, bitsStored, bitsStored - 1);
}

}  // namespace mis::test
