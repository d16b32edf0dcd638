#pragma once

#include <optional>

#include "DicomPixelReader.h"
#include "SliceRendering.h"

namespace mis {

// What to draw of one frame of an image.
struct PictureRequest {
  unsigned frame = 0;
  // Overrides the file's own WindowCenter/WindowWidth.
  std::optional<WindowLevel> window;
  // Tint what the thresholded volume counts, normalized over [minimum, maximum]
  // (the file's range for an upload, the series' range for a stored series).
  bool overlay = false;
  double minimum = 0;
  double maximum = 0;
  double threshold = 0.5;
};

// The frame as a person should see it: Modality LUT, the requested window,
// else the file's first window, else the frame's min..max; MONOCHROME1
// inverted; the threshold overlay on request.
Image8 PictureOfFrame(const DicomImageInfo& info, const PixelSamples& allFrames,
                      const PictureRequest& request);

}  // namespace mis
