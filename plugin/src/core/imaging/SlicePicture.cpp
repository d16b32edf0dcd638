#include "SlicePicture.h"

#include <stdexcept>

namespace mis {

Image8 PictureOfFrame(const DicomImageInfo& info, const PixelSamples& allFrames,
                      const PictureRequest& request) {
  if (request.frame >= info.frames) {
    throw std::out_of_range("frame " + std::to_string(request.frame) + " of " +
                            std::to_string(info.frames));
  }
  const size_t pixelsPerFrame = size_t{info.rows} * info.columns;
  const PixelSamples frame = FrameOf(allFrames, request.frame, pixelsPerFrame);

  RenderOptions options;
  options.rescaleSlope = info.rescaleSlope;
  options.rescaleIntercept = info.rescaleIntercept;
  options.invert = info.photometricInterpretation == "MONOCHROME1";
  if (request.window) {
    options.window = request.window;
  } else if (info.windowCenter && info.windowWidth && *info.windowWidth >= 1) {
    options.window = WindowLevel{*info.windowCenter, *info.windowWidth};
  }
  Image8 picture = RenderFrame(frame, info.columns, info.rows, options);
  if (request.overlay) {
    picture = OverlayThreshold(picture, frame, request.minimum, request.maximum, request.threshold);
  }
  return picture;
}

}  // namespace mis
