#include "PictureDecoding.h"

#include <csetjmp>
#include <cstdio>  // before jpeglib.h, which uses FILE
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <jpeglib.h>
#include <png.h>

namespace mis::test {
namespace {

// libpng and libjpeg report errors with a longjmp: what must survive the jump
// lives on the heap, reached through a pointer set before setjmp.
struct PngReading {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const std::string* input = nullptr;
  size_t offset = 0;
  char message[200] = "";
  DecodedPicture picture;
  std::vector<png_bytep> rows;

  ~PngReading() { png_destroy_read_struct(&png, &info, nullptr); }
};

[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  auto* state = static_cast<PngReading*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof state->message, "%s", message);
  png_longjmp(png, 1);
}

void IgnorePngWarning(png_structp, png_const_charp) {}

void ReadPngBytes(png_structp png, png_bytep data, size_t size) {
  auto* state = static_cast<PngReading*>(png_get_io_ptr(png));
  if (state->offset + size > state->input->size()) png_error(png, "the PNG is truncated");
  std::memcpy(data, state->input->data() + state->offset, size);
  state->offset += size;
}

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

void IgnoreJpegMessage(j_common_ptr) {}

struct JpegReading {
  jpeg_decompress_struct cinfo{};
  JpegErrorManager error{};
  DecodedPicture picture;

  ~JpegReading() { jpeg_destroy_decompress(&cinfo); }
};

}  // namespace

DecodedPicture DecodePng(const std::string& bytes) {
  if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8)) {
    throw std::runtime_error("not a PNG (bad signature)");
  }
  const auto state = std::make_unique<PngReading>();
  state->input = &bytes;
  state->png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, state.get(), OnPngError, IgnorePngWarning);
  state->info = state->png ? png_create_info_struct(state->png) : nullptr;
  if (!state->info) throw std::runtime_error("libpng: out of memory");
  if (setjmp(png_jmpbuf(state->png))) {
    throw std::runtime_error(std::string("libpng: ") + state->message);
  }
  png_set_read_fn(state->png, state.get(), ReadPngBytes);
  png_read_info(state->png, state->info);
  DecodedPicture& picture = state->picture;
  picture.width = png_get_image_width(state->png, state->info);
  picture.height = png_get_image_height(state->png, state->info);
  picture.bitDepth = png_get_bit_depth(state->png, state->info);
  picture.pngColorType = png_get_color_type(state->png, state->info);
  picture.channels = png_get_channels(state->png, state->info);
  if (png_get_interlace_type(state->png, state->info) != PNG_INTERLACE_NONE) {
    png_set_interlace_handling(state->png);
  }
  png_read_update_info(state->png, state->info);
  const size_t rowBytes = png_get_rowbytes(state->png, state->info);
  picture.pixels.resize(rowBytes * picture.height);
  state->rows.resize(picture.height);
  for (unsigned y = 0; y < picture.height; ++y) {
    state->rows[y] = picture.pixels.data() + y * rowBytes;
  }
  png_read_image(state->png, state->rows.data());
  png_read_end(state->png, nullptr);
  return std::move(state->picture);
}

DecodedPicture DecodeJpeg(const std::string& bytes) {
  const auto state = std::make_unique<JpegReading>();
  jpeg_decompress_struct* cinfo = &state->cinfo;
  cinfo->err = jpeg_std_error(&state->error.base);
  state->error.base.error_exit = OnJpegError;
  state->error.base.output_message = IgnoreJpegMessage;
  if (setjmp(state->error.jump)) {
    throw std::runtime_error(std::string("libjpeg: ") + state->error.message);
  }
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo, TRUE);
  jpeg_start_decompress(cinfo);
  DecodedPicture& picture = state->picture;
  picture.width = cinfo->output_width;
  picture.height = cinfo->output_height;
  picture.channels = static_cast<unsigned>(cinfo->output_components);
  picture.bitDepth = BITS_IN_JSAMPLE;
  const size_t stride = size_t{picture.width} * picture.channels;
  picture.pixels.resize(stride * picture.height);
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = picture.pixels.data() + cinfo->output_scanline * stride;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  return std::move(state->picture);
}

DecodedPicture ReadPgm(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::string magic;
  unsigned maxValue = 0;
  DecodedPicture picture;
  if (!(file >> magic >> picture.width >> picture.height >> maxValue) ||
      (magic != "P5" && magic != "P6") || maxValue != 255) {
    throw std::runtime_error(path.string() + " is not an 8-bit binary PGM or PPM");
  }
  file.get();  // the single whitespace after the header
  picture.channels = magic == "P6" ? 3 : 1;
  picture.bitDepth = 8;
  picture.pixels.resize(size_t{picture.width} * picture.height * picture.channels);
  if (!file.read(reinterpret_cast<char*>(picture.pixels.data()),
                 static_cast<std::streamsize>(picture.pixels.size()))) {
    throw std::runtime_error(path.string() + " is truncated");
  }
  return picture;
}

std::string DecodeBase64(const std::string& text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.size() % 4 != 0) throw std::runtime_error("base64 length is not a multiple of 4");
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      if (i + 2 < text.size()) throw std::runtime_error("base64 padding in the middle");
      ++padding;
      continue;
    }
    if (padding) throw std::runtime_error("base64 data after padding");
    const size_t value = alphabet.find(c);
    if (value == std::string::npos) throw std::runtime_error("not a base64 character");
    bits = (bits << 6) | static_cast<uint32_t>(value);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xFF));
      out.push_back(static_cast<char>((bits >> 8) & 0xFF));
      out.push_back(static_cast<char>(bits & 0xFF));
      bits = 0;
      count = 0;
    }
  }
  if (padding == 1 && count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xFF));
    out.push_back(static_cast<char>((bits >> 2) & 0xFF));
  } else if (padding == 2 && count == 2) {
    out.push_back(static_cast<char>((bits >> 4) & 0xFF));
  } else if (padding != 0 || count != 0) {
    throw std::runtime_error("bad base64 padding");
  }
  return out;
}

}  // namespace mis::test
