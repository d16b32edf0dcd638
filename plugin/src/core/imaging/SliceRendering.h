#pragma once

#include <optional>

#include "Image8.h"
#include "PixelSamples.h"

namespace mis {

struct WindowLevel {
  double center = 0;
  double width = 1;
};

struct RenderOptions {
  // Modality LUT: value = stored * slope + intercept.
  double rescaleSlope = 1;
  double rescaleIntercept = 0;
  // VOI window on the rescaled values; none: the frame's own min..max.
  std::optional<WindowLevel> window;
  // MONOCHROME1: the lowest values are white.
  bool invert = false;
};

// The samples of one frame of a multi-frame view.
PixelSamples FrameOf(const PixelSamples& all, unsigned frameIndex, size_t pixelsPerFrame);

// Renders one frame to 8-bit grey: Modality LUT, then the linear VOI window of
// DICOM PS3.3 C.11.2.1.2.1 (center c, width w: x <= c - 0.5 - (w-1)/2 -> 0,
// x > c - 0.5 + (w-1)/2 -> 255, else ((x - (c - 0.5)) / (w - 1) + 0.5) * 255,
// rounded), then MONOCHROME1 inversion. Throws std::invalid_argument when
// the sizes do not match the samples or the window width is < 1.
Image8 RenderFrame(const PixelSamples& frame, unsigned columns, unsigned rows,
                   const RenderOptions& options);

// An RGB copy of `grey` where the pixels counted by the thresholded volume
// (stored value normalized over [minimum, maximum] strictly above threshold,
// exactly as CountAboveNormalized decides) are tinted with a translucent
// colour, so a user can see what is counted.
Image8 OverlayThreshold(const Image8& grey, const PixelSamples& frame, double minimum,
                        double maximum, double threshold);

}  // namespace mis
