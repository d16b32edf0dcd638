// The physical-limit probe: how fast one core can do the two passes a
// thresholded volume needs (min/max, then a threshold count) over 16-bit pixels
// held in memory. Adapted from the shared reference probe (a standalone program
// over 400 random 512x512 slices) so that it runs on the very samples the core
// measures: templated on the 16-bit sample type, and kept out of line so that
// repeated calls cannot be merged by the compiler. Whoever includes it compiles
// it with -O3 -march=native (see bench/CMakeLists.txt).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace bench {

template <typename T>
[[gnu::noinline]] uint64_t ProbeMinMaxCount(const T* px, size_t n) {
  static_assert(std::is_integral_v<T> && sizeof(T) == 2, "16-bit samples only");
  T lo = std::numeric_limits<T>::max();
  T hi = std::numeric_limits<T>::min();
  for (size_t i = 0; i < n; ++i) {
    const T v = px[i];
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  const double cut = lo + 0.5 * (hi - lo);
  const T icut = static_cast<T>(std::floor(cut));  // v > cut  <=>  v > floor(cut) for integers
  uint64_t count = 0;
  for (size_t i = 0; i < n; ++i) count += px[i] > icut;
  return count;
}

}  // namespace bench
