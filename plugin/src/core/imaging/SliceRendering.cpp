#include "SliceRendering.h"

#include <cmath>
#include <csetjmp>
#include <cstdio>  // before jpeglib.h, which uses FILE without including it
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>  // Z_RLE

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

namespace {

void CheckImage(const Image8& image) {
  if ((image.channels != 1 && image.channels != 3) || image.width == 0 || image.height == 0 ||
      image.pixels.size() != size_t{image.width} * image.height * image.channels) {
    throw std::invalid_argument("the image size does not match its pixels");
  }
}

// libpng reports errors by a longjmp to png_jmpbuf. What it writes into
// between setjmp and longjmp lives on the heap, reached through a pointer set
// before setjmp: locals of EncodePng would be indeterminate after the jump.
struct PngCompression {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::string output;
  char message[200] = "";

  ~PngCompression() { png_destroy_write_struct(&png, &info); }
};

[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  auto* state = static_cast<PngCompression*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof state->message, "%s", message);
  png_longjmp(png, 1);
}

void IgnorePngWarning(png_structp, png_const_charp) {}  // not for Orthanc's stderr

void AppendPng(png_structp png, png_bytep data, size_t size) {
  auto* state = static_cast<PngCompression*>(png_get_io_ptr(png));
  bool appended = true;
  try {
    state->output.append(reinterpret_cast<const char*>(data), size);
  } catch (const std::bad_alloc&) {
    appended = false;
  }
  if (!appended) {
    png_error(png, "out of memory");  // outside the catch block: it jumps away
  }
}

void FlushPng(png_structp) {}

}  // namespace

std::string EncodePng(const Image8& image) {
  CheckImage(image);
  const auto state = std::make_unique<PngCompression>();
  state->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, state.get(), OnPngError,
                                       IgnorePngWarning);
  state->info = state->png ? png_create_info_struct(state->png) : nullptr;
  if (!state->info) {
    throw std::runtime_error("PNG encoding failed: out of memory");
  }
  state->output.reserve(image.pixels.size() / 2);
  png_structp png = state->png;
  if (setjmp(png_jmpbuf(png))) {
    throw std::runtime_error(std::string("PNG encoding failed: ") + state->message);
  }
  png_set_write_fn(png, state.get(), AppendPng, FlushPng);
  png_set_IHDR(png, state->info, image.width, image.height, 8,
               image.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // Measured on a 512 x 512 CT slice, against libpng's default (all filters,
  // zlib level 6: 26 ms, 98 kB): grey with the Paeth filter and run-length
  // zlib takes 4 ms for 96 kB; the RGB overlay, whose runs the interleaved
  // channels break, takes 11 ms (instead of 41) unfiltered at level 3.
  if (image.channels == 1) {
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_PAETH);
    png_set_compression_strategy(png, Z_RLE);
  } else {
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 3);
  }
  png_write_info(png, state->info);
  const size_t stride = size_t{image.width} * image.channels;
  for (unsigned y = 0; y < image.height; ++y) {
    png_write_row(png, image.pixels.data() + y * stride);
  }
  png_write_end(png, nullptr);
  return std::move(state->output);
}

namespace {

// libjpeg reports errors through error_exit, whose default ends the process:
// ours jumps back to EncodeJpeg with the message. A jump rather than a C++
// exception, which would have to unwind through libjpeg's C frames.
struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, manager->message);
  std::longjmp(manager->jump, 1);
}

void IgnoreJpegMessage(j_common_ptr) {}  // warnings must not reach Orthanc's stderr

// On the heap, as for libpng above. The compressed bytes go through a fixed
// block into `output`, which we own, rather than through jpeg_mem_dest, whose
// malloc'd buffer is hard to free correctly after an error.
struct JpegCompression {
  jpeg_compress_struct cinfo{};
  JpegErrorManager error{};
  jpeg_destination_mgr destination{};
  JOCTET block[16384];
  std::string output;

  ~JpegCompression() { jpeg_destroy_compress(&cinfo); }
};

JpegCompression& StateOf(j_compress_ptr cinfo) {
  return *static_cast<JpegCompression*>(cinfo->client_data);
}

void StartJpegBlock(j_compress_ptr cinfo) {
  JpegCompression& state = StateOf(cinfo);
  state.destination.next_output_byte = state.block;
  state.destination.free_in_buffer = sizeof state.block;
}

// Appends the first `size` bytes of the block; false when memory runs out.
bool AppendJpegBlock(JpegCompression& state, size_t size) {
  try {
    state.output.append(reinterpret_cast<const char*>(state.block), size);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

boolean EmptyJpegBlock(j_compress_ptr cinfo) {
  if (!AppendJpegBlock(StateOf(cinfo), sizeof StateOf(cinfo).block)) {
    ERREXIT(cinfo, JERR_OUT_OF_MEMORY);  // outside the catch block: it jumps away
  }
  StartJpegBlock(cinfo);
  return TRUE;
}

void FinishJpegBlock(j_compress_ptr cinfo) {
  JpegCompression& state = StateOf(cinfo);
  if (!AppendJpegBlock(state, sizeof state.block - state.destination.free_in_buffer)) {
    ERREXIT(cinfo, JERR_OUT_OF_MEMORY);
  }
}

}  // namespace

std::string EncodeJpeg(const Image8& image, int quality) {
  CheckImage(image);
  if (quality < 1 || quality > 100) {
    throw std::invalid_argument("the JPEG quality must be within 1..100");
  }
  const auto state = std::make_unique<JpegCompression>();
  jpeg_compress_struct* cinfo = &state->cinfo;
  cinfo->err = jpeg_std_error(&state->error.base);
  cinfo->client_data = state.get();
  state->error.base.error_exit = OnJpegError;
  state->error.base.output_message = IgnoreJpegMessage;
  state->destination.init_destination = StartJpegBlock;
  state->destination.empty_output_buffer = EmptyJpegBlock;
  state->destination.term_destination = FinishJpegBlock;
  if (setjmp(state->error.jump)) {
    throw std::runtime_error(std::string("JPEG encoding failed: ") + state->error.message);
  }
  jpeg_create_compress(cinfo);
  cinfo->dest = &state->destination;
  cinfo->image_width = image.width;
  cinfo->image_height = image.height;
  cinfo->input_components = static_cast<int>(image.channels);
  cinfo->in_color_space = image.channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, quality, TRUE);
  // No chroma subsampling (4:4:4): the default 4:2:0 would smear the
  // one-pixel edges of the threshold overlay.
  cinfo->comp_info[0].h_samp_factor = 1;
  cinfo->comp_info[0].v_samp_factor = 1;
  jpeg_start_compress(cinfo, TRUE);
  const size_t stride = size_t{image.width} * image.channels;
  while (cinfo->next_scanline < cinfo->image_height) {
    // libjpeg's API is not const-correct; it only reads the rows.
    JSAMPROW row = const_cast<uint8_t*>(image.pixels.data() + cinfo->next_scanline * stride);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return std::move(state->output);
}

}  // namespace mis
