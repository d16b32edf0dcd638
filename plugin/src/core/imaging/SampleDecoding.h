#pragma once

// How stored samples become values, shared by the statistics and the rendering
// so that both read the same number out of the same bits. Header-only: the
// hot loops inline the decoder into each of their multiversioned clones.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

#include "PixelSamples.h"

// Inlined into each caller, so that its target_clones copies get the
// caller's instruction set too.
#define MIS_INLINE inline __attribute__((always_inline))

namespace mis::sample_decoding {

// Samples whose every allocated bit is significant are used as they are.
template <typename Raw>
struct Unmasked {
  Raw operator()(Raw raw) const { return raw; }
};

// Keeps the `bitsStored` bits ending at `highBit` and sign-extends them when the
// samples are signed (DICOM PixelRepresentation 1).
template <typename Raw>
struct Masked {
  using Wide = std::conditional_t<(sizeof(Raw) < 4), int32_t, int64_t>;
  unsigned shift;
  Wide mask;
  Wide signBit;  // 0 for unsigned samples

  Wide operator()(Raw raw) const {
    using Bits = std::make_unsigned_t<Raw>;
    Wide value = static_cast<Wide>((static_cast<Bits>(raw) >> shift)) & mask;
    return (value ^ signBit) - signBit;
  }
};

template <typename Raw>
bool NeedsMask(const PixelSamples& s) {
  return std::is_integral_v<Raw> && s.bitsStored < sizeof(Raw) * 8;
}

template <typename Raw>
Masked<Raw> MakeMask(const PixelSamples& s) {
  using Wide = typename Masked<Raw>::Wide;
  const unsigned bits = s.bitsStored == 0 ? 1 : s.bitsStored;
  const unsigned shift = s.highBit + 1 >= bits ? s.highBit + 1 - bits : 0;
  const Wide mask = static_cast<Wide>((uint64_t{1} << bits) - 1);
  const Wide signBit = std::is_signed_v<Raw> ? static_cast<Wide>(uint64_t{1} << (bits - 1)) : 0;
  return Masked<Raw>{shift, mask, signBit};
}

// Calls `action(pointer, decoder)` with the samples' real type and decoder;
// decoder(raw) gives the sample's value (an integer type for integer samples).
template <typename Action>
MIS_INLINE auto Dispatch(const PixelSamples& s, Action&& action) {
  auto withDecoder = [&](auto* typed) {
    using Raw = std::remove_const_t<std::remove_pointer_t<decltype(typed)>>;
    if constexpr (std::is_integral_v<Raw>) {
      if (NeedsMask<Raw>(s)) {
        return action(typed, MakeMask<Raw>(s));
      }
    }
    return action(typed, Unmasked<Raw>{});
  };
  switch (s.type) {
    case SampleType::kUint8: return withDecoder(static_cast<const uint8_t*>(s.data));
    case SampleType::kInt8: return withDecoder(static_cast<const int8_t*>(s.data));
    case SampleType::kUint16: return withDecoder(static_cast<const uint16_t*>(s.data));
    case SampleType::kInt16: return withDecoder(static_cast<const int16_t*>(s.data));
    case SampleType::kUint32: return withDecoder(static_cast<const uint32_t*>(s.data));
    case SampleType::kInt32: return withDecoder(static_cast<const int32_t*>(s.data));
    case SampleType::kFloat32: return withDecoder(static_cast<const float*>(s.data));
    case SampleType::kFloat64: return withDecoder(static_cast<const double*>(s.data));
  }
  throw std::logic_error("unknown sample type");
}

}  // namespace mis::sample_decoding
