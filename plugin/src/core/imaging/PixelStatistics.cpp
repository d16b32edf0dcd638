#include "PixelStatistics.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "SampleDecoding.h"

// The loops are compiled for several x86-64 levels (AVX-512, AVX2, SSE4.1,
// baseline) and the best one for the running CPU is picked at load time: the
// SSE2 baseline has no unsigned 16-bit min/max and ran 6x slower here than
// AVX-512, while a -march=native build would not run on older hosts.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MIS_MULTIVERSIONED __attribute__((target_clones("arch=x86-64-v4", "avx2", "sse4.1", "default")))
#else
#define MIS_MULTIVERSIONED
#endif

namespace mis {
namespace {

using sample_decoding::Dispatch;

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
// "normalized > threshold" becomes "value >= cut" for the smallest integer
// cut that passes, found by bisection with numpy's exact expression. Empty
// when no value of type Value can pass.
template <typename Value>
std::optional<Value> IntegerCut(double minimum, double maximum, double threshold) {
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
  // A range given from outside may exceed what the type holds: clamp rather
  // than let the cast wrap.
  if (low > static_cast<int64_t>(maximum) || low > int64_t{std::numeric_limits<Value>::max()}) {
    return std::nullopt;
  }
  return static_cast<Value>(std::max<int64_t>(low, std::numeric_limits<Value>::min()));
}

// Calls `loop(above)` where above(raw) tells whether the sample's normalized
// value is strictly above the threshold: the one decision that counting and
// marking share. Returns false, without calling it, when no sample can pass.
template <typename Raw, typename Decode, typename Loop>
MIS_INLINE bool WithAbove(Decode decode, double minimum, double maximum, double threshold,
                          Loop&& loop) {
  if constexpr (std::is_floating_point_v<Raw>) {
    const double range = maximum - minimum;
    loop([=](Raw raw) { return Normalized(static_cast<double>(raw), minimum, range) > threshold; });
  } else {
    using Value = decltype(decode(Raw{}));
    const std::optional<Value> cut = IntegerCut<Value>(minimum, maximum, threshold);
    if (!cut) {
      return false;
    }
    loop([decode, c = *cut](Raw raw) { return decode(raw) >= c; });
  }
  return true;
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
    const size_t n = samples.count;
    uint64_t count = 0;
    // always_inline, as MIS_INLINE: the loop must be compiled within each clone.
    auto countLoop = [&](auto above) __attribute__((always_inline)) {
      for (size_t i = 0; i < n; ++i) {
        count += above(p[i]);
      }
    };
    WithAbove<Raw>(decode, minimum, maximum, threshold, countLoop);
    return count;
  });
}

MIS_MULTIVERSIONED void MarkAboveNormalized(const PixelSamples& samples, double minimum,
                                            double maximum, double threshold, uint8_t* mask) {
  if (samples.count == 0) {
    return;
  }
  if (mask == nullptr) {
    throw std::invalid_argument("no mask to write");
  }
  // A local count: the byte stores into mask could alias samples.count and
  // would keep the loop from being vectorized.
  const size_t n = samples.count;
  const bool marked = maximum > minimum && Dispatch(samples, [&](auto* p, auto decode) {
    using Raw = std::remove_const_t<std::remove_pointer_t<decltype(p)>>;
    auto markLoop = [&](auto above) __attribute__((always_inline)) {
      for (size_t i = 0; i < n; ++i) {
        mask[i] = above(p[i]);
      }
    };
    return WithAbove<Raw>(decode, minimum, maximum, threshold, markLoop);
  });
  if (!marked) {
    std::memset(mask, 0, n);  // constant image, or nothing passes
  }
}

ThresholdCount CountAboveThreshold(const PixelSamples& samples, double threshold) {
  ThresholdCount result;
  FindRange(samples, result.minimum, result.maximum);
  result.above = CountAboveNormalized(samples, result.minimum, result.maximum, threshold);
  return result;
}

}  // namespace mis
