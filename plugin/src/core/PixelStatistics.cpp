#include "PixelStatistics.h"

#include <limits>
#include <stdexcept>
#include <type_traits>

// The loops are compiled for several x86-64 levels (AVX-512, AVX2, SSE4.1,
// baseline) and the best one for the running CPU is picked at load time: the
// SSE2 baseline has no unsigned 16-bit min/max and ran 6x slower here than
// AVX-512, while a -march=native build would not run on older hosts.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MIS_MULTIVERSIONED __attribute__((target_clones("arch=x86-64-v4", "avx2", "sse4.1", "default")))
#else
#define MIS_MULTIVERSIONED
#endif
// Inlined into each clone, so that they get its instruction set too.
#define MIS_INLINE inline __attribute__((always_inline))

namespace mis {
namespace {

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

template <typename Raw, typename Decode>
MIS_INLINE void MinMax(const Raw* p, size_t n, Decode decode, double& minimum, double& maximum) {
  using Value = decltype(decode(Raw{}));
  Value lo = decode(p[0]);
  Value hi = lo;
  for (size_t i = 0; i < n; ++i) {
    const Value v = decode(p[i]);
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  minimum = static_cast<double>(lo);
  maximum = static_cast<double>(hi);
}

// numpy's normalized value of x, evaluated with the same double operations.
inline double Normalized(double x, double minimum, double range) {
  return (x - minimum) / range;
}

// For integer samples the normalized value grows with the sample, so
// "normalized > threshold" becomes "sample >= cut" for the smallest integer
// cut that passes: found by bisection with numpy's exact expression, then one
// branch-free counting pass.
template <typename Raw, typename Decode>
MIS_INLINE uint64_t CountIntegers(const Raw* p, size_t n, Decode decode, double minimum, double maximum,
                       double threshold) {
  const double range = maximum - minimum;
  int64_t low = static_cast<int64_t>(minimum);
  int64_t high = static_cast<int64_t>(maximum) + 1;  // "nothing passes"
  while (low < high) {
    const int64_t mid = low + (high - low) / 2;
    if (Normalized(static_cast<double>(mid), minimum, range) > threshold) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  if (low > static_cast<int64_t>(maximum)) {
    return 0;
  }
  using Value = decltype(decode(Raw{}));
  const Value cut = static_cast<Value>(low);
  uint64_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    count += decode(p[i]) >= cut;
  }
  return count;
}

template <typename Raw>
MIS_INLINE uint64_t CountFloats(const Raw* p, size_t n, double minimum, double maximum, double threshold) {
  const double range = maximum - minimum;
  uint64_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    count += Normalized(static_cast<double>(p[i]), minimum, range) > threshold;
  }
  return count;
}

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

// Calls `action(pointer, decoder)` with the samples' real type and decoder.
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

}  // namespace

MIS_MULTIVERSIONED void FindRange(const PixelSamples& samples, double& minimum, double& maximum) {
  if (samples.count == 0 || samples.data == nullptr) {
    throw std::invalid_argument("no pixel samples");
  }
  Dispatch(samples, [&](auto* p, auto decode) {
    MinMax(p, samples.count, decode, minimum, maximum);
    return 0;
  });
}

MIS_MULTIVERSIONED uint64_t CountAboveNormalized(const PixelSamples& samples, double minimum,
                                                 double maximum, double threshold) {
  if (!(maximum > minimum) || samples.count == 0) {
    return 0;  // a constant image has no structure to threshold
  }
  return Dispatch(samples, [&](auto* p, auto decode) -> uint64_t {
    using Raw = std::remove_const_t<std::remove_pointer_t<decltype(p)>>;
    if constexpr (std::is_floating_point_v<Raw>) {
      return CountFloats(p, samples.count, minimum, maximum, threshold);
    } else {
      return CountIntegers(p, samples.count, decode, minimum, maximum, threshold);
    }
  });
}

ThresholdCount CountAboveThreshold(const PixelSamples& samples, double threshold) {
  ThresholdCount result;
  FindRange(samples, result.minimum, result.maximum);
  result.above = CountAboveNormalized(samples, result.minimum, result.maximum, threshold);
  return result;
}

}  // namespace mis
