// RenderFrame, OverlayThreshold and the encoders. Expected grey levels are
// worked out by hand from the linear VOI function of DICOM PS3.3
// C.11.2.1.2.1: x <= c - 0.5 - (w-1)/2 -> 0, x > c - 0.5 + (w-1)/2 -> 255,
// else y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, rounded half up.
#include <gtest/gtest.h>

#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <jpeglib.h>
#include <png.h>

#include "ImageEncoding.h"
#include "PixelStatistics.h"
#include "SampleViews.h"
#include "SliceRendering.h"

namespace mis {
namespace {

using test::TypeOf;
using test::View;

// A one-row frame of the values.
template <typename T>
std::vector<uint8_t> Render(const std::vector<T>& values, const RenderOptions& options,
                            unsigned bitsStored = sizeof(T) * 8) {
  const Image8 image =
      RenderFrame(View(values, bitsStored), static_cast<unsigned>(values.size()), 1, options);
  EXPECT_EQ(image.width, values.size());
  EXPECT_EQ(image.height, 1u);
  EXPECT_EQ(image.channels, 1u);
  return image.pixels;
}

RenderOptions Window(double center, double width) {
  RenderOptions options;
  options.window = WindowLevel{center, width};
  return options;
}

using Bytes = std::vector<uint8_t>;

TEST(SliceRendering, CtWindowOnHandComputedValues) {
  // c = 40, w = 400: c - 0.5 -+ (w-1)/2 = -160, 239.
  //   -160 -> 0 (at the lower edge); -159 -> (1/399) * 255 = 0.64 -> 1;
  //      0 -> (-39.5/399 + 0.5) * 255 = 102.26 -> 102;
  //     40 -> (0.5/399 + 0.5) * 255 = 127.82 -> 128;
  //    100 -> (60.5/399 + 0.5) * 255 = 166.17 -> 166;
  //    239 -> (199.5/399 + 0.5) * 255 = 255; 240 -> 255 (above the upper edge).
  const std::vector<int16_t> hu = {-1000, -160, -159, 0, 40, 100, 239, 240, 3000};
  EXPECT_EQ(Render(hu, Window(40, 400)), (Bytes{0, 0, 1, 102, 128, 166, 255, 255, 255}));
}

TEST(SliceRendering, RescaleIsAppliedBeforeTheWindow) {
  // HU = stored * slope + intercept; the same HU as above give the same grey.
  RenderOptions options = Window(40, 400);
  options.rescaleIntercept = -1024;
  const std::vector<uint16_t> stored = {864, 865, 1024, 1064, 1124, 1264};  // -160 ... 240
  EXPECT_EQ(Render(stored, options), (Bytes{0, 1, 102, 128, 166, 255}));

  options.rescaleSlope = 2;
  options.rescaleIntercept = -1000;
  const std::vector<uint16_t> doubled = {420, 500, 520, 550, 620};  // -160, 0, 40, 100, 240
  EXPECT_EQ(Render(doubled, options), (Bytes{0, 102, 128, 166, 255}));
}

TEST(SliceRendering, Monochrome1IsInverted) {
  RenderOptions options = Window(40, 400);
  options.invert = true;
  const std::vector<int16_t> hu = {-160, 0, 40, 240};
  EXPECT_EQ(Render(hu, options), (Bytes{255, 153, 127, 0}));
}

TEST(SliceRendering, WithoutAWindowTheFrameRangeIsStretched) {
  // min..max -> 0..255, y = (x - min) / (max - min) * 255: over 0..255 it is x.
  const std::vector<uint16_t> values = {0, 51, 100, 255, 200};
  EXPECT_EQ(Render(values, RenderOptions{}), (Bytes{0, 51, 100, 255, 200}));
  // Rescaled first: -100..410 spans 510, so y = (2s - 100 + 100) / 510 * 255 = s.
  RenderOptions rescaled;
  rescaled.rescaleSlope = 2;
  rescaled.rescaleIntercept = -100;
  EXPECT_EQ(Render(values, rescaled), (Bytes{0, 51, 100, 255, 200}));
  // A negative slope turns the image over.
  rescaled.rescaleSlope = -1;
  EXPECT_EQ(Render(values, rescaled), (Bytes{255, 204, 155, 0, 55}));
}

TEST(SliceRendering, NegativeInt16WithoutAWindow) {
  // -1000..1550 spans 2550: y = (x + 1000) / 10.
  const std::vector<int16_t> values = {-1000, -490, 0, 1550, -1000};
  EXPECT_EQ(Render(values, RenderOptions{}), (Bytes{0, 51, 100, 255, 0}));
}

TEST(SliceRendering, ConstantFrameIsBlackOrWhiteForMonochrome1) {
  const std::vector<uint16_t> values(6, 1234);
  EXPECT_EQ(Render(values, RenderOptions{}), Bytes(6, 0));
  RenderOptions inverted;
  inverted.invert = true;
  EXPECT_EQ(Render(values, inverted), Bytes(6, 255));
}

TEST(SliceRendering, TwelveBitsStoredAreMasked) {
  // c = 2048, w = 4096: edges 0 and 4095; 1024 -> 63.77 -> 64, 2048 -> 127.53
  // -> 128. The high nibble is garbage and must not change anything.
  const std::vector<uint16_t> clean = {0x0000, 0x0400, 0x0800, 0x0FFF};
  const std::vector<uint16_t> garbage = {0xF000, 0x5400, 0xA800, 0x3FFF};
  for (const auto* values : {&clean, &garbage}) {
    EXPECT_EQ(Render(*values, Window(2048, 4096), 12), (Bytes{0, 64, 128, 255}));
    EXPECT_EQ(Render(*values, RenderOptions{}, 12), (Bytes{0, 64, 128, 255}));
  }
}

TEST(SliceRendering, SignedTwelveBitsAreSignExtended) {
  // 0x800 = -2048, 0xFFF = -1, 0x000 = 0, 0x7FF = 2047, high nibble garbage.
  // c = 0, w = 4096: edges -2048 and 2047; -1 -> 127.47 -> 127, 0 -> 127.53 -> 128.
  const std::vector<int16_t> values = {static_cast<int16_t>(0x3800), static_cast<int16_t>(0xCFFF),
                                       static_cast<int16_t>(0x9000), static_cast<int16_t>(0x07FF)};
  EXPECT_EQ(Render(values, Window(0, 4096), 12), (Bytes{0, 127, 128, 255}));
}

template <typename T>
class RenderEveryType : public ::testing::Test {};
using SampleTypes = ::testing::Types<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float,
                                     double>;
TYPED_TEST_SUITE(RenderEveryType, SampleTypes);

TYPED_TEST(RenderEveryType, StretchesTheRangeAndAppliesAWindow) {
  // Values base + 0, 51, 100, 255: over a range of 255, y = x - base.
  const double base = std::is_signed_v<TypeParam> ? -128 : 0;
  std::vector<TypeParam> values;
  for (double v : {0, 51, 100, 255}) {
    values.push_back(static_cast<TypeParam>(base + v));
  }
  EXPECT_EQ(Render(values, RenderOptions{}), (Bytes{0, 51, 100, 255}));
  // The window of the same range: c - 0.5 -+ (w - 1) / 2 = base, base + 255.
  EXPECT_EQ(Render(values, Window(base + 128, 256)), (Bytes{0, 51, 100, 255}));
}

TEST(SliceRendering, FloatNotANumberIsBlack) {
  const std::vector<float> values = {0, std::nanf(""), 255};
  EXPECT_EQ(Render(values, Window(128, 256)), (Bytes{0, 0, 255}));
}

TEST(SliceRendering, RowsAndColumns) {
  const std::vector<uint8_t> values = {0, 1, 2, 3, 4, 5};
  const Image8 image = RenderFrame(View(values), 3, 2, Window(128, 256));
  EXPECT_EQ(image.width, 3u);
  EXPECT_EQ(image.height, 2u);
  EXPECT_EQ(image.pixels, values);
}

TEST(SliceRendering, BadArgumentsThrow) {
  const std::vector<uint16_t> values(6, 1);
  EXPECT_THROW(RenderFrame(View(values), 3, 3, RenderOptions{}), std::invalid_argument);
  EXPECT_THROW(RenderFrame(View(values), 7, 1, RenderOptions{}), std::invalid_argument);
  EXPECT_THROW(RenderFrame(View(values), 0, 0, RenderOptions{}), std::invalid_argument);
  EXPECT_THROW(RenderFrame(View(values), 3, 2, Window(40, 0.5)), std::invalid_argument);
  EXPECT_THROW(RenderFrame(View(values), 3, 2, Window(NAN, 400)), std::invalid_argument);
  EXPECT_NO_THROW(RenderFrame(View(values), 3, 2, Window(40, 1)));
}

TEST(SliceRendering, WindowOfWidthOneIsAThreshold) {
  // c = 10, w = 1: x <= 9.5 -> 0, x > 9.5 -> 255.
  const std::vector<uint16_t> values = {9, 10, 11};
  EXPECT_EQ(Render(values, Window(10, 1)), (Bytes{0, 255, 255}));
}

TEST(SliceRendering, FrameOfAMultiFrameView) {
  const std::vector<int16_t> frames = {1, 2, 3, 4, 5, 6};  // three frames of 2
  const PixelSamples second = FrameOf(View(frames), 1, 2);
  EXPECT_EQ(second.count, 2u);
  EXPECT_EQ(static_cast<const int16_t*>(second.data), frames.data() + 2);
  EXPECT_EQ(second.type, SampleType::kInt16);
  EXPECT_EQ(FrameOf(View(frames), 2, 2).data, frames.data() + 4);
  EXPECT_THROW(FrameOf(View(frames), 3, 2), std::invalid_argument);
  EXPECT_THROW(FrameOf(View(frames), 0, 7), std::invalid_argument);
  EXPECT_THROW(FrameOf(View(frames), 0, 0), std::invalid_argument);
}

// The overlay: 45 % of pure red over the grey g, rounded half up:
// R = (55 g + 45 * 255 + 50) / 100, G = B = (55 g + 50) / 100.
TEST(SliceRendering, OverlayTintsExactlyWhatIsCounted) {
  const unsigned columns = 61;
  const unsigned rows = 47;
  std::mt19937 rng(3);
  std::vector<uint16_t> values(columns * rows);
  for (auto& v : values) v = static_cast<uint16_t>(rng() % 4096);
  const PixelSamples frame = View(values, 12);
  double minimum = 0;
  double maximum = 0;
  FindRange(frame, minimum, maximum);
  const Image8 grey = RenderFrame(frame, columns, rows, RenderOptions{});

  for (double threshold : {0.0, 0.3, 0.5, 0.97, 1.0}) {
    const Image8 rgb = OverlayThreshold(grey, frame, minimum, maximum, threshold);
    ASSERT_EQ(rgb.channels, 3u);
    ASSERT_EQ(rgb.width, columns);
    ASSERT_EQ(rgb.height, rows);
    ASSERT_EQ(rgb.pixels.size(), values.size() * 3);
    std::vector<uint8_t> mask(values.size());
    MarkAboveNormalized(frame, minimum, maximum, threshold, mask.data());
    uint64_t tinted = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      const unsigned g = grey.pixels[i];
      const uint8_t* p = &rgb.pixels[3 * i];
      if (mask[i]) {
        ++tinted;
        ASSERT_EQ(p[0], (55 * g + 45 * 255 + 50) / 100) << i;
        ASSERT_EQ(p[1], (55 * g + 50) / 100) << i;
        ASSERT_EQ(p[2], p[1]) << i;
        ASSERT_GE(p[0] - p[1], 114) << i;  // always tells from grey
      } else {
        ASSERT_EQ(p[0], g) << i;
        ASSERT_EQ(p[1], g) << i;
        ASSERT_EQ(p[2], g) << i;
      }
    }
    EXPECT_EQ(tinted, CountAboveNormalized(frame, minimum, maximum, threshold)) << threshold;
  }
}

TEST(SliceRendering, OverlayOfBlackAndWhite) {
  // n = 0, 1: only the second (white, stored 10) is above 0.5.
  const std::vector<uint8_t> values = {0, 10};
  const Image8 grey = RenderFrame(View(values), 2, 1, RenderOptions{});
  ASSERT_EQ(grey.pixels, (Bytes{0, 255}));
  // White: R = (14025 + 11475 + 50) / 100 = 255, G = B = 14075 / 100 = 140.
  EXPECT_EQ(OverlayThreshold(grey, View(values), 0, 10, 0.5).pixels,
            (Bytes{0, 0, 0, 255, 140, 140}));
  // Black: R = (11475 + 50) / 100 = 115, G = B = 0.
  EXPECT_EQ(OverlayThreshold(grey, View(values), 0, 10, -1).pixels,
            (Bytes{115, 0, 0, 255, 140, 140}));
}

TEST(SliceRendering, OverlayNeedsAGreyImageOfTheFrameSize) {
  const std::vector<uint8_t> values = {0, 10, 20, 30};
  const Image8 grey = RenderFrame(View(values), 2, 2, RenderOptions{});
  const Image8 rgb = OverlayThreshold(grey, View(values), 0, 30, 0.5);
  EXPECT_THROW(OverlayThreshold(rgb, View(values), 0, 30, 0.5), std::invalid_argument);
  const std::vector<uint8_t> fewer = {0, 10, 20};
  EXPECT_THROW(OverlayThreshold(grey, View(fewer), 0, 30, 0.5), std::invalid_argument);
}

// ---- Encoders, checked by decoding with the libraries' read side.

Image8 RandomImage(unsigned width, unsigned height, unsigned channels, unsigned seed) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  std::mt19937 rng(seed);
  image.pixels.resize(size_t{width} * height * channels);
  for (auto& p : image.pixels) p = static_cast<uint8_t>(rng());
  return image;
}

// Decoded with libpng's simplified read API, in the file's own format.
Image8 DecodePng(const std::string& encoded) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, encoded.data(), encoded.size())) {
    throw std::runtime_error(std::string("not a PNG: ") + png.message);
  }
  Image8 image;
  image.width = png.width;
  image.height = png.height;
  if (png.format == PNG_FORMAT_GRAY) {
    image.channels = 1;
  } else if (png.format == PNG_FORMAT_RGB) {
    image.channels = 3;
  } else {
    png_image_free(&png);
    throw std::runtime_error("unexpected PNG format " + std::to_string(png.format));
  }
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr)) {
    throw std::runtime_error(std::string("bad PNG: ") + png.message);
  }
  return image;
}

TEST(SliceRendering, PngOfGreyDecodesToTheSamePixels) {
  const Image8 image = RandomImage(37, 23, 1, 1);
  const std::string png = EncodePng(image);
  ASSERT_GE(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const Image8 decoded = DecodePng(png);
  EXPECT_EQ(decoded.width, 37u);
  EXPECT_EQ(decoded.height, 23u);
  EXPECT_EQ(decoded.channels, 1u);
  EXPECT_EQ(decoded.pixels, image.pixels);
}

TEST(SliceRendering, PngOfRgbDecodesToTheSamePixels) {
  const Image8 image = RandomImage(19, 41, 3, 2);
  const Image8 decoded = DecodePng(EncodePng(image));
  EXPECT_EQ(decoded.width, 19u);
  EXPECT_EQ(decoded.height, 41u);
  EXPECT_EQ(decoded.channels, 3u);
  EXPECT_EQ(decoded.pixels, image.pixels);
}

// libjpeg's default error handler ends the process: jump back instead. On the
// heap, as what libjpeg fills between setjmp and longjmp must not be a local.
struct JpegDecoding {
  jpeg_decompress_struct cinfo{};
  jpeg_error_mgr error{};
  std::jmp_buf jump;
  Image8 image;
  ~JpegDecoding() { jpeg_destroy_decompress(&cinfo); }
};

[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  std::longjmp(static_cast<JpegDecoding*>(cinfo->client_data)->jump, 1);
}

Image8 DecodeJpeg(const std::string& encoded) {
  const auto state = std::make_unique<JpegDecoding>();
  jpeg_decompress_struct* cinfo = &state->cinfo;
  cinfo->err = jpeg_std_error(&state->error);
  cinfo->client_data = state.get();
  state->error.error_exit = OnJpegError;
  if (setjmp(state->jump)) {
    throw std::runtime_error("bad JPEG");
  }
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size());
  jpeg_read_header(cinfo, TRUE);
  jpeg_start_decompress(cinfo);
  Image8& image = state->image;
  image.width = cinfo->output_width;
  image.height = cinfo->output_height;
  image.channels = static_cast<unsigned>(cinfo->output_components);
  image.pixels.resize(size_t{image.width} * image.height * image.channels);
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row =
        image.pixels.data() + size_t{cinfo->output_scanline} * image.width * image.channels;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  return std::move(image);
}

// A smooth ramp, which JPEG keeps within a few levels.
Image8 Gradient(unsigned width, unsigned height, unsigned channels) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  for (unsigned y = 0; y < height; ++y) {
    for (unsigned x = 0; x < width; ++x) {
      for (unsigned c = 0; c < channels; ++c) {
        image.pixels.push_back(static_cast<uint8_t>(x + y + c * 40));  // at most 238
      }
    }
  }
  return image;
}

void ExpectJpegClose(const Image8& image, int quality, int maxError) {
  const std::string jpeg = EncodeJpeg(image, quality);
  ASSERT_GE(jpeg.size(), 4u);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[0]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[1]), 0xD8);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[jpeg.size() - 2]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>(jpeg[jpeg.size() - 1]), 0xD9);
  const Image8 decoded = DecodeJpeg(jpeg);
  ASSERT_EQ(decoded.width, image.width);
  ASSERT_EQ(decoded.height, image.height);
  ASSERT_EQ(decoded.channels, image.channels);
  int worst = 0;
  double total = 0;
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    const int error = std::abs(int{decoded.pixels[i]} - int{image.pixels[i]});
    worst = std::max(worst, error);
    total += error;
  }
  EXPECT_LE(worst, maxError);
  EXPECT_LE(total / image.pixels.size(), 1.5);
}

TEST(SliceRendering, JpegOfAGreyGradientDecodesClose) {
  const Image8 image = Gradient(128, 96, 1);
  ExpectJpegClose(image, 90, 8);
}

TEST(SliceRendering, JpegOfAnRgbGradientDecodesClose) {
  const Image8 image = Gradient(96, 64, 3);
  ExpectJpegClose(image, 95, 16);
}

TEST(SliceRendering, JpegLongerThanOneOutputBlock) {
  // Noise compresses badly: several blocks of the encoder's output buffer.
  const Image8 image = RandomImage(300, 200, 3, 4);
  const std::string jpeg = EncodeJpeg(image, 100);
  EXPECT_GT(jpeg.size(), 100000u);
  const Image8 decoded = DecodeJpeg(jpeg);
  EXPECT_EQ(decoded.width, 300u);
  EXPECT_EQ(decoded.height, 200u);
  EXPECT_EQ(decoded.channels, 3u);
}

TEST(SliceRendering, LibraryErrorsBecomeExceptions) {
  // Beyond libpng's default width limit (1,000,000) and JPEG's 65,500: both
  // libraries refuse, through the error handlers that jump back.
  Image8 wide = RandomImage(1000001, 1, 1, 5);
  EXPECT_THROW(EncodePng(wide), std::runtime_error);
  wide.width = 70000;
  wide.pixels.resize(70000);
  try {
    EncodeJpeg(wide, 90);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("65500"), std::string::npos) << error.what();
  }
  // And the encoders still work afterwards.
  EXPECT_NO_THROW(EncodePng(RandomImage(3, 3, 1, 6)));
  EXPECT_NO_THROW(EncodeJpeg(RandomImage(3, 3, 1, 6), 90));
}

TEST(SliceRendering, EncodersRejectInconsistentImages) {
  Image8 image = RandomImage(4, 4, 1, 3);
  image.pixels.pop_back();
  EXPECT_THROW(EncodePng(image), std::invalid_argument);
  EXPECT_THROW(EncodeJpeg(image, 90), std::invalid_argument);
  Image8 twoChannels = RandomImage(4, 4, 2, 3);
  EXPECT_THROW(EncodePng(twoChannels), std::invalid_argument);
  EXPECT_THROW(EncodeJpeg(RandomImage(4, 4, 1, 3), 0), std::invalid_argument);
  EXPECT_THROW(EncodeJpeg(RandomImage(4, 4, 1, 3), 101), std::invalid_argument);
  EXPECT_THROW(EncodePng(Image8{}), std::invalid_argument);
}

}  // namespace
}  // namespace mis
