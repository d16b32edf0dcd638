// CountAboveThreshold on synthetic buffers whose answers are worked out by hand:
// n = (v - min) / (max - min), counted when n > threshold (strictly).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "PixelStatistics.h"
#include "SampleViews.h"

namespace mis {
namespace {

using test::TypeOf;
using test::View;

TEST(PixelStatistics, ConstantImageCountsZero) {
  const std::vector<uint16_t> values(64, 7);
  for (double threshold : {0.0, 0.5, 1.0}) {
    const ThresholdCount count = CountAboveThreshold(View(values), threshold);
    EXPECT_EQ(count.minimum, 7);
    EXPECT_EQ(count.maximum, 7);
    EXPECT_EQ(count.above, 0u) << "threshold " << threshold;
  }
}

TEST(PixelStatistics, OneBrightPixelAmongZeros) {
  std::vector<uint16_t> values(100, 0);
  values[42] = 1000;  // n = 1 for it, 0 for the others
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, 0);
  EXPECT_EQ(count.maximum, 1000);
  EXPECT_EQ(count.above, 1u);
}

TEST(PixelStatistics, SignedNegativeValues) {
  // n = (v + 1000) / 2000 = 0, 0.25, 0.5, 0.75, 1: two are strictly above 0.5.
  const std::vector<int16_t> values = {-1000, -500, 0, 500, 1000};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, -1000);
  EXPECT_EQ(count.maximum, 1000);
  EXPECT_EQ(count.above, 2u);
}

TEST(PixelStatistics, ValueAtTheThresholdIsNotCounted) {
  // n = 0, 0.5, 1: only 10 is strictly above 0.5.
  const std::vector<uint16_t> values = {0, 5, 10};
  EXPECT_EQ(CountAboveThreshold(View(values), 0.5).above, 1u);
}

TEST(PixelStatistics, ComparesLikeNumpyInDoubles) {
  // k / 10.0 is the double nearest to k/10, i.e. the literal 0.3 or 0.7: so
  // 3 is not above 0.3 (4..10 are: 7) and 7 is not above 0.7 (8, 9, 10 are).
  const std::vector<uint8_t> tenths = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(CountAboveThreshold(View(tenths), 0.3).above, 7u);
  EXPECT_EQ(CountAboveThreshold(View(tenths), 0.7).above, 3u);
  // 1.0 / 3.0 is the same double as the threshold 1.0 / 3.0, so 1 is not
  // counted even though 1/3 exceeds that double in exact arithmetic.
  const std::vector<uint8_t> thirds = {0, 1, 2, 3};
  EXPECT_EQ(CountAboveThreshold(View(thirds), 1.0 / 3.0).above, 2u);
}

TEST(PixelStatistics, ThresholdZeroCountsAllButTheMinima) {
  const std::vector<uint16_t> values = {3, 3, 5, 10, 10};
  EXPECT_EQ(CountAboveThreshold(View(values), 0.0).above, 3u);
}

TEST(PixelStatistics, ThresholdOneCountsNone) {
  // The maximum normalizes to exactly 1, which is not strictly above 1.
  const std::vector<uint16_t> values = {3, 3, 5, 10, 10};
  EXPECT_EQ(CountAboveThreshold(View(values), 1.0).above, 0u);
}

TEST(PixelStatistics, TwelveBitsStoredIgnoresGarbageInTheHighBits) {
  // Stored values 0, 2048, 4095, 1024 (n = 0, 0.50012, 1, 0.25): two above 0.5.
  const std::vector<uint16_t> clean = {0x0000, 0x0800, 0x0FFF, 0x0400};
  const std::vector<uint16_t> garbage = {0xF000, 0xA800, 0x5FFF, 0x1400};
  for (const auto* values : {&clean, &garbage}) {
    const ThresholdCount count = CountAboveThreshold(View(*values, 12, 11), 0.5);
    EXPECT_EQ(count.minimum, 0);
    EXPECT_EQ(count.maximum, 4095);
    EXPECT_EQ(count.above, 2u);
  }
}

TEST(PixelStatistics, SignedTwelveBitsAreSignExtendedFromBit11) {
  // 12-bit two's complement: 0x800 = -2048, 0xFFF = -1, 0x000 = 0, 0x7FF = 2047;
  // the high nibble is garbage. n = (v + 2048) / 4095 = 0, 0.49988, 0.50012, 1.
  const std::vector<int16_t> values = {static_cast<int16_t>(0x3800), static_cast<int16_t>(0xCFFF),
                                       static_cast<int16_t>(0x9000), static_cast<int16_t>(0x07FF)};
  const ThresholdCount count = CountAboveThreshold(View(values, 12, 11), 0.5);
  EXPECT_EQ(count.minimum, -2048);
  EXPECT_EQ(count.maximum, 2047);
  EXPECT_EQ(count.above, 2u);
}

TEST(PixelStatistics, BitsStoredEndingAtHighBit15IgnoresTheLowBits) {
  // HighBit 15 with 12 bits stored: the value is in bits 4..15, bits 0..3 are
  // garbage. Values 0, 100, 200 -> n = 0, 0.5, 1: one above 0.5.
  const std::vector<uint16_t> values = {0 << 4 | 0xF, 100 << 4 | 0x3, 200 << 4 | 0x0};
  const ThresholdCount count = CountAboveThreshold(View(values, 12, 15), 0.5);
  EXPECT_EQ(count.minimum, 0);
  EXPECT_EQ(count.maximum, 200);
  EXPECT_EQ(count.above, 1u);
}

TEST(PixelStatistics, MultiFrameUsesMinAndMaxOverAllFrames) {
  // Three 2 x 2 frames one after the other: the minimum (10) is in every frame,
  // the maximum (30) only in the last. n(20) = 0.5, n(30) = 1.
  const std::vector<uint16_t> frames = {10, 10, 10, 10,  //
                                        10, 20, 10, 10,  //
                                        30, 10, 10, 10};
  const ThresholdCount count = CountAboveThreshold(View(frames), 0.5);
  EXPECT_EQ(count.minimum, 10);
  EXPECT_EQ(count.maximum, 30);
  EXPECT_EQ(count.above, 1u);
  EXPECT_EQ(CountAboveThreshold(View(frames), 0.4).above, 2u);
}

TEST(PixelStatistics, Float32) {
  // n = (v + 1.5) / 4 = 0, 0.375, 1, 0.5: only 2.5 is above 0.5.
  const std::vector<float> values = {-1.5f, 0.0f, 2.5f, 0.5f};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, -1.5);
  EXPECT_EQ(count.maximum, 2.5);
  EXPECT_EQ(count.above, 1u);
}

TEST(PixelStatistics, Float64) {
  // min 0, max 1, so n = v: 0.75, 1.0 and 0.6 are above 0.5.
  const std::vector<double> values = {0.25, 0.75, 1.0, 0.0, 0.6, 0.5};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, 0.0);
  EXPECT_EQ(count.maximum, 1.0);
  EXPECT_EQ(count.above, 3u);
}

TEST(PixelStatistics, Uint8) {
  // n = v / 255: 128 -> 0.50196 and 255 are above 0.5, 127 -> 0.49804 is not.
  const std::vector<uint8_t> values = {0, 255, 128, 127};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, 0);
  EXPECT_EQ(count.maximum, 255);
  EXPECT_EQ(count.above, 2u);
}

TEST(PixelStatistics, Int8) {
  // n = (v + 128) / 255: 0 -> 0.50196 and 127 are above 0.5, -1 -> 0.49804 is not.
  const std::vector<int8_t> values = {-128, 127, 0, -1};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, -128);
  EXPECT_EQ(count.maximum, 127);
  EXPECT_EQ(count.above, 2u);
}

TEST(PixelStatistics, Uint32) {
  // n = v / 4e9: 2e9 is exactly 0.5 (not counted), 2e9 + 1 and 4e9 are above.
  const std::vector<uint32_t> values = {0, 4000000000u, 2000000000u, 2000000001u};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, 0);
  EXPECT_EQ(count.maximum, 4000000000.0);
  EXPECT_EQ(count.above, 2u);
}

TEST(PixelStatistics, Int32) {
  // n = (v + 2e9) / 4e9: 0 is exactly 0.5 (not counted), 1 and 2e9 are above.
  const std::vector<int32_t> values = {-2000000000, 2000000000, 0, 1};
  const ThresholdCount count = CountAboveThreshold(View(values), 0.5);
  EXPECT_EQ(count.minimum, -2000000000.0);
  EXPECT_EQ(count.maximum, 2000000000.0);
  EXPECT_EQ(count.above, 2u);
}

TEST(PixelStatistics, SeriesRangeFromOutside) {
  // A slice normalized over a series whose range is [0, 20]: n(10) = 0.5 is not
  // counted, n(20) = 1 is.
  const std::vector<uint16_t> slice = {10, 20, 10};
  EXPECT_EQ(CountAboveNormalized(View(slice), 0, 20, 0.5), 1u);
  double minimum = 0;
  double maximum = 0;
  FindRange(View(slice), minimum, maximum);
  EXPECT_EQ(minimum, 10);
  EXPECT_EQ(maximum, 20);
}

TEST(PixelStatistics, NoSamplesIsAnError) {
  const std::vector<uint16_t> none;
  EXPECT_THROW(CountAboveThreshold(View(none), 0.5), std::invalid_argument);
}

// ---- MarkAboveNormalized: the decision of CountAboveNormalized, per sample.

// Marks into a buffer pre-filled with garbage, so that every byte must be written.
std::vector<uint8_t> Mark(const PixelSamples& samples, double minimum, double maximum,
                          double threshold) {
  std::vector<uint8_t> mask(samples.count, 0xAA);
  MarkAboveNormalized(samples, minimum, maximum, threshold, mask.data());
  return mask;
}

using Mask = std::vector<uint8_t>;

TEST(PixelStatistics, MarkOnHandComputedValues) {
  // n = 0, 0.5, 1, 0.25: only 10 is strictly above 0.5.
  const std::vector<uint16_t> values = {0, 5, 10, 2};
  EXPECT_EQ(Mark(View(values), 0, 10, 0.5), (Mask{0, 0, 1, 0}));
  // The float path: n = (v + 1.5) / 4 = 0, 0.375, 1, 0.5.
  const std::vector<float> floats = {-1.5f, 0.0f, 2.5f, 0.5f};
  EXPECT_EQ(Mark(View(floats), -1.5, 2.5, 0.5), (Mask{0, 0, 1, 0}));
  // Garbage in the high nibble of 12-bit samples is ignored, as when counting.
  const std::vector<uint16_t> garbage = {0xF000, 0xA800, 0x5FFF, 0x1400};
  EXPECT_EQ(Mark(View(garbage, 12, 11), 0, 4095, 0.5), (Mask{0, 1, 1, 0}));
}

TEST(PixelStatistics, MarkOfAConstantImageIsEmpty) {
  const std::vector<uint16_t> values(9, 7);
  EXPECT_EQ(Mark(View(values), 7, 7, 0.5), Mask(9, 0));
  EXPECT_EQ(Mark(View(values), 7, 7, -1), Mask(9, 0));
}

TEST(PixelStatistics, MarkWhenNothingPasses) {
  const std::vector<uint8_t> values = {0, 128, 255};
  EXPECT_EQ(Mark(View(values), 0, 255, 1.0), Mask(3, 0));
}

TEST(PixelStatistics, RangeBeyondTheSampleTypeIsNotWrapped) {
  // A series range wider than the type of this slice. int8 with [-1000, 1000]
  // and 0.1: n > 0.1 means v > -800, true for every int8. uint8 with [0, 1000]
  // and 0.9: v > 900, true for none.
  const std::vector<int8_t> signedBytes = {-128, -1, 0, 127};
  EXPECT_EQ(Mark(View(signedBytes), -1000, 1000, 0.1), Mask(4, 1));
  EXPECT_EQ(CountAboveNormalized(View(signedBytes), -1000, 1000, 0.1), 4u);
  const std::vector<uint8_t> bytes = {0, 133, 255};
  EXPECT_EQ(Mark(View(bytes), 0, 1000, 0.9), Mask(3, 0));
  EXPECT_EQ(CountAboveNormalized(View(bytes), 0, 1000, 0.9), 0u);
}

// Random samples of every type, plain and with unused bits holding garbage:
// each mark is numpy's expression on the decoded value, and the marks add up
// to the count.
template <typename T>
class MarkEveryType : public ::testing::Test {};
using SampleTypes = ::testing::Types<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float,
                                     double>;
TYPED_TEST_SUITE(MarkEveryType, SampleTypes);

// The stored value of a sample, as DICOM defines it for `bits` bits ending at bit bits - 1.
template <typename T>
double Decoded(T raw, unsigned bits) {
  if constexpr (std::is_floating_point_v<T>) {
    return raw;
  } else {
    using Bits = std::make_unsigned_t<T>;
    const uint64_t value =
        static_cast<uint64_t>(static_cast<Bits>(raw)) & ((uint64_t{1} << bits) - 1);
    const bool negative = std::is_signed_v<T> && (value >> (bits - 1)) != 0;
    return negative ? static_cast<double>(value) - static_cast<double>(uint64_t{1} << bits)
                    : static_cast<double>(value);
  }
}

TYPED_TEST(MarkEveryType, AgreesWithTheCountAndWithNumpy) {
  using T = TypeParam;
  std::mt19937_64 rng(11);
  std::vector<T> values(4099);
  for (auto& v : values) {
    if constexpr (std::is_floating_point_v<T>) {
      v = static_cast<T>(std::uniform_real_distribution<double>(-300, 700)(rng));
    } else {
      v = static_cast<T>(rng());
    }
  }
  values[17] = values[18];  // duplicates of the extremes, and ties
  std::vector<unsigned> bitsStored = {sizeof(T) * 8};
  if constexpr (std::is_integral_v<T>) {
    bitsStored.push_back(sizeof(T) * 8 - 3);
    bitsStored.push_back(sizeof(T) == 1 ? 5 : 12);
  }
  for (unsigned bits : bitsStored) {
    const PixelSamples samples = View(values, bits, bits - 1);
    double minimum = 0;
    double maximum = 0;
    FindRange(samples, minimum, maximum);
    for (double threshold : {-0.5, 0.0, 0.1, 1.0 / 3.0, 0.5, 0.7, 0.999, 1.0}) {
      const Mask mask = Mark(samples, minimum, maximum, threshold);
      uint64_t marked = 0;
      for (size_t i = 0; i < values.size(); ++i) {
        const bool numpy = (Decoded(values[i], bits) - minimum) / (maximum - minimum) > threshold;
        ASSERT_EQ(mask[i], numpy ? 1 : 0) << "sample " << i << " bits " << bits << " threshold "
                                         << threshold;
        marked += mask[i];
      }
      EXPECT_EQ(marked, CountAboveNormalized(samples, minimum, maximum, threshold))
          << "bits " << bits << " threshold " << threshold;
    }
  }
}

}  // namespace
}  // namespace mis
