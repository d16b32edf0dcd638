#include "SliceRendering.h"

#include <cmath>
#include <stdexcept>

#include "PixelStatistics.h"
#include "SampleDecoding.h"

namespace mis {
namespace {

// DICOM's linear VOI function (PS3.3 C.11.2.1.2.1) onto 0..255, evaluated as
// the standard writes it, rounded half up.
class LinearWindow {
 public:
  explicit LinearWindow(const WindowLevel& w)
      : center_(w.center - 0.5), width_(w.width - 1),
        lower_(center_ - width_ / 2), upper_(center_ + width_ / 2) {}

  uint8_t operator()(double x) const {
    if (!(x > lower_)) {
      return 0;  // NaN samples too
    }
    if (x > upper_) {
      return 255;
    }
    // y is within [0, 255] here up to rounding (and NaN only for a window
    // made of infinities): clamped so that the cast is always defined.
    double y = ((x - center_) / width_ + 0.5) * 255;
    y = y > 0 ? y : 0;
    y = y < 255 ? y : 255;
    return static_cast<uint8_t>(y + 0.5);
  }

 private:
  double center_;  // c - 0.5
  double width_;   // w - 1
  double lower_;
  double upper_;
};

// No window given: the window that maps the frame's rescaled minimum to 0 and
// its maximum to 255 (c - 0.5 -+ (w - 1) / 2 = lo, hi). A constant frame gets
// w = 1 and renders black (white for MONOCHROME1), as a blank padding slice
// should look, rather than a mid-grey that could pass for tissue.
WindowLevel WindowOverRange(const PixelSamples& frame, const RenderOptions& options) {
  double minimum = 0;
  double maximum = 0;
  FindRange(frame, minimum, maximum);
  double lo = minimum * options.rescaleSlope + options.rescaleIntercept;
  double hi = maximum * options.rescaleSlope + options.rescaleIntercept;
  if (hi < lo) {
    std::swap(lo, hi);  // negative slope
  }
  return WindowLevel{(lo + hi) / 2 + 0.5, hi - lo + 1};
}

void CheckSize(const PixelSamples& samples, unsigned columns, unsigned rows) {
  if (samples.data == nullptr || columns == 0 || rows == 0 ||
      uint64_t{columns} * rows != samples.count) {
    throw std::invalid_argument("the image size does not match its pixel samples");
  }
}

}  // namespace

PixelSamples FrameOf(const PixelSamples& all, unsigned frameIndex, size_t pixelsPerFrame) {
  if (pixelsPerFrame == 0 || frameIndex >= all.count / pixelsPerFrame) {
    throw std::invalid_argument("frame " + std::to_string(frameIndex) + " is out of the samples");
  }
  PixelSamples frame = all;
  frame.data = static_cast<const uint8_t*>(all.data) +
               frameIndex * pixelsPerFrame * SampleSize(all.type);
  frame.count = pixelsPerFrame;
  return frame;
}

Image8 RenderFrame(const PixelSamples& frame, unsigned columns, unsigned rows,
                   const RenderOptions& options) {
  CheckSize(frame, columns, rows);
  if (!std::isfinite(options.rescaleSlope) || !std::isfinite(options.rescaleIntercept)) {
    throw std::invalid_argument("the rescale slope and intercept must be finite");
  }
  if (options.window &&
      !(std::isfinite(options.window->center) && options.window->width >= 1 &&
        std::isfinite(options.window->width))) {
    throw std::invalid_argument("the window must have a finite center and a width >= 1");
  }
  const LinearWindow window(options.window ? *options.window : WindowOverRange(frame, options));
  const double slope = options.rescaleSlope;
  const double intercept = options.rescaleIntercept;
  // For bytes, 255 - y is y ^ 0xFF: MONOCHROME1 costs no branch in the loop.
  const uint8_t flip = options.invert ? 0xFF : 0;

  Image8 image;
  image.width = columns;
  image.height = rows;
  image.channels = 1;
  image.pixels.resize(frame.count);
  uint8_t* out = image.pixels.data();
  const size_t n = frame.count;
  sample_decoding::Dispatch(frame, [&](auto* p, auto decode) {
    for (size_t i = 0; i < n; ++i) {
      out[i] = window(static_cast<double>(decode(p[i])) * slope + intercept) ^ flip;
    }
    return 0;
  });
  return image;
}

Image8 OverlayThreshold(const Image8& grey, const PixelSamples& frame, double minimum,
                        double maximum, double threshold) {
  if (grey.channels != 1 || grey.pixels.size() != size_t{grey.width} * grey.height) {
    throw std::invalid_argument("the overlay needs a grey image");
  }
  CheckSize(frame, grey.width, grey.height);
  std::vector<uint8_t> mask(frame.count);
  MarkAboveNormalized(frame, minimum, maximum, threshold, mask.data());

  // Pure red at 45 % opacity: red is absent from a grey rendering, so even a
  // white or black counted pixel stays distinguishable (R - G >= 114), and
  // the anatomy still shows through.
  constexpr unsigned kOpacityPercent = 45;
  constexpr uint8_t kTint[3] = {255, 0, 0};
  Image8 rgb;
  rgb.width = grey.width;
  rgb.height = grey.height;
  rgb.channels = 3;
  rgb.pixels.resize(grey.pixels.size() * 3);
  for (size_t i = 0; i < grey.pixels.size(); ++i) {
    const unsigned g = grey.pixels[i];
    for (int c = 0; c < 3; ++c) {
      rgb.pixels[3 * i + c] = mask[i] ? static_cast<uint8_t>((g * (100 - kOpacityPercent) +
                                                               kTint[c] * kOpacityPercent + 50) /
                                                              100)
                                      : static_cast<uint8_t>(g);
    }
  }
  return rgb;
}

}  // namespace mis
