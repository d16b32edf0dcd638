#pragma once

#include <cstdint>

#include "PixelSamples.h"

namespace mis {

struct ThresholdCount {
  double minimum = 0;
  double maximum = 0;
  uint64_t above = 0;  // samples whose normalized value is strictly above the threshold
};

// Min-max normalizes the samples to [0, 1] and counts those strictly above
// `threshold`, with the same double arithmetic as numpy's
// `((a - a.min()) / (a.max() - a.min()) > threshold).sum()`; a constant image
// counts 0. Two passes over the data, no copy.
ThresholdCount CountAboveThreshold(const PixelSamples& samples, double threshold);

// The min and max of the samples (first pass of CountAboveThreshold), exposed
// so that a series can be normalized over all its slices.
void FindRange(const PixelSamples& samples, double& minimum, double& maximum);

// Counts the samples whose value normalized over [minimum, maximum] is strictly
// above `threshold` (second pass).
uint64_t CountAboveNormalized(const PixelSamples& samples, double minimum, double maximum,
                              double threshold);

// Writes 1 into mask[i] for each sample that CountAboveNormalized counts, 0
// for the others (mask has samples.count bytes): the same decision, for
// drawing it.
void MarkAboveNormalized(const PixelSamples& samples, double minimum, double maximum,
                         double threshold, uint8_t* mask);

}  // namespace mis
