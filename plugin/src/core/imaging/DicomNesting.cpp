#include "DicomNesting.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "HttpError.h"
#include "MediaType.h"
#include "Multipart.h"
#include "ValueRepresentations.h"

namespace mis {
namespace {

constexpr uint32_t kUndefinedLength = 0xFFFFFFFF;
constexpr uint16_t kDelimiterGroup = 0xFFFE;
constexpr uint16_t kItem = 0xE000;
constexpr uint16_t kItemDelimitation = 0xE00D;
constexpr uint16_t kSequenceDelimitation = 0xE0DD;
constexpr uint32_t kPixelData = 0x7FE00010;
constexpr size_t kOpenEnded = static_cast<size_t>(-1);
// Frames on the scan's stack: a sequence and its item per level, with room
// for items a crafted file puts straight into items (which count as deeper).
constexpr size_t kMaxFrames = 2 * kMaxSequenceDepth + 2;

constexpr const char* kDeflatedExplicitLittleEndian = "1.2.840.10008.1.2.1.99";

enum class Encoding { kImplicitLittle, kExplicitLittle, kExplicitBig };

// The Image Pixel attributes (PS3.3 §C.7.6.3) of a top-level data set, as
// far as a scan found them.
struct ImagePixelAttributes {
  uint16_t rows = 0;
  uint16_t columns = 0;
  uint16_t samplesPerPixel = 0;
  uint16_t bitsAllocated = 0;
  bool encapsulated = false;  // Pixel Data of undefined length: fragments

  // What one frame decodes to, in bytes; 0 when not encapsulated or unknown.
  uint64_t EncapsulatedFrameBytes() const {
    if (!encapsulated || bitsAllocated == 0) return 0;
    return uint64_t{rows} * columns * samplesPerPixel * ((bitsAllocated + 7u) / 8u);
  }
};

class NestingScanner {
 public:
  // With `pixels`, also notes the Image Pixel attributes of the top level.
  NestingScanner(std::string_view bytes, Encoding encoding, ImagePixelAttributes* pixels = nullptr)
      : bytes_(bytes), encoding_(encoding), pixels_(pixels) {}

  // The deepest sequence nesting from `start` to the end of the bytes; with
  // `metaOnly`, only the top-level elements of group 0002 (file meta
  // information, always Explicit VR Little Endian), and where they end in
  // metaEnd(), with the Transfer Syntax UID in transferSyntax().
  unsigned Scan(size_t start, bool metaOnly = false) {
    size_t pos = start;
    while (true) {
      while (!frames_.empty() && frames_.back().end != kOpenEnded && pos >= frames_.back().end) {
        Pop();
      }
      metaEnd_ = pos;
      if (pos > bytes_.size() || bytes_.size() - pos < 8) break;
      const bool implicitVr = encoding_ == Encoding::kImplicitLittle ||
                              (!frames_.empty() && frames_.back().implicitVr);
      const bool bigEndian = encoding_ == Encoding::kExplicitBig && !implicitVr;
      const uint16_t group = Read16(pos, bigEndian);
      const uint16_t element = Read16(pos + 2, bigEndian);
      if (metaOnly && frames_.empty() && group != 0x0002) break;

      if (group == kDelimiterGroup) {
        const uint32_t length = Read32(pos + 4, bigEndian);
        pos += 8;
        if (element == kItem) {
          if (!frames_.empty() && frames_.back().kind == Kind::kFragments) {
            if (length == kUndefinedLength || length > bytes_.size() - pos) break;
            pos += length;  // a fragment of encapsulated pixel data: bytes, not a data set
            continue;
          }
          if (length != kUndefinedLength && length > bytes_.size() - pos) break;
          if (!Push(Kind::kItem, length == kUndefinedLength ? kOpenEnded : pos + length, implicitVr)) {
            return kMaxSequenceDepth + 1;
          }
        } else if (element == kItemDelimitation) {
          PopThrough(Kind::kItem);
        } else if (element == kSequenceDelimitation) {
          PopThrough(Kind::kSequence);
        } else if (length != kUndefinedLength) {
          if (length > bytes_.size() - pos) break;
          pos += length;
        }
        continue;
      }

      uint32_t length = 0;
      bool sequenceVr = false;
      bool unknownVr = false;
      if (implicitVr) {
        length = Read32(pos + 4, false);
        pos += 8;
      } else {
        const char first = bytes_[pos + 4];
        const char second = bytes_[pos + 5];
        sequenceVr = first == 'S' && second == 'Q';
        unknownVr = first == 'U' && second == 'N';
        if (HasLongLength(first, second)) {
          if (bytes_.size() - pos < 12) break;
          length = Read32(pos + 8, bigEndian);
          pos += 12;
        } else {
          length = Read16(pos + 6, bigEndian);
          pos += 8;
        }
      }
      if (group == 0x0002 && element == 0x0010 && frames_.empty() && length != kUndefinedLength &&
          length <= bytes_.size() - pos) {
        transferSyntax_ = TrimmedUid(bytes_.substr(pos, length));
      }

      const uint32_t tag = (uint32_t{group} << 16) | element;
      if (pixels_ != nullptr && frames_.empty()) NoteImagePixel(tag, pos, length, bigEndian);
      if (length == kUndefinedLength) {
        if (tag == kPixelData && !sequenceVr) {  // encapsulated: fragments follow
          if (!Push(Kind::kFragments, kOpenEnded, implicitVr)) return kMaxSequenceDepth + 1;
          continue;
        }
        // A sequence; UN of undefined length holds Implicit VR items (PS3.5 §6.2.2).
        if (!Push(Kind::kSequence, kOpenEnded, implicitVr || unknownVr)) return kMaxSequenceDepth + 1;
        continue;
      }
      if (length > bytes_.size() - pos) break;  // past the end: a parser stops here
      if (sequenceVr || StartsWithItem(pos, length)) {
        if (!Push(Kind::kSequence, pos + length, implicitVr || unknownVr)) return kMaxSequenceDepth + 1;
        continue;
      }
      pos += length;
    }
    return deepest_;
  }

  size_t metaEnd() const { return metaEnd_; }
  const std::string& transferSyntax() const { return transferSyntax_; }

 private:
  enum class Kind { kSequence, kItem, kFragments };
  struct Frame {
    Kind kind;
    size_t end;       // where a defined length ends it, or kOpenEnded
    bool implicitVr;  // how the elements inside are encoded
  };

  bool Push(Kind kind, size_t end, bool implicitVr) {
    frames_.push_back({kind, end, implicitVr});
    if (kind == Kind::kSequence) deepest_ = std::max(deepest_, ++sequences_);
    return deepest_ <= kMaxSequenceDepth && frames_.size() <= kMaxFrames;
  }

  void Pop() {
    if (frames_.back().kind == Kind::kSequence) --sequences_;
    frames_.pop_back();
  }

  // Closes the innermost open frame of `kind` and what is open inside it;
  // nothing when none is open (a parser would refuse the delimiter).
  void PopThrough(Kind kind) {
    const Kind fragmentsOrKind = kind == Kind::kSequence ? Kind::kFragments : kind;
    for (size_t i = frames_.size(); i > 0; --i) {
      const Kind open = frames_[i - 1].kind;
      if (open == kind || open == fragmentsOrKind) {
        while (frames_.size() >= i) Pop();
        return;
      }
    }
  }

  // An Image Pixel attribute of the top level, whose value starts at `pos`.
  void NoteImagePixel(uint32_t tag, size_t pos, uint32_t length, bool bigEndian) {
    if (tag == kPixelData) {
      pixels_->encapsulated = length == kUndefinedLength;
      return;
    }
    if (length != 2 || bytes_.size() - pos < 2) return;  // US, one value
    uint16_t* attribute = nullptr;
    switch (tag) {
      case 0x00280002: attribute = &pixels_->samplesPerPixel; break;
      case 0x00280010: attribute = &pixels_->rows; break;
      case 0x00280011: attribute = &pixels_->columns; break;
      case 0x00280100: attribute = &pixels_->bitsAllocated; break;
      default: return;
    }
    *attribute = Read16(pos, bigEndian);
  }

  // Whether the value at `pos` begins with an Item tag, in either byte order.
  bool StartsWithItem(size_t pos, uint32_t length) const {
    if (length < 8) return false;
    return (Read16(pos, false) == kDelimiterGroup && Read16(pos + 2, false) == kItem) ||
           (Read16(pos, true) == kDelimiterGroup && Read16(pos + 2, true) == kItem);
  }

  uint16_t Read16(size_t pos, bool bigEndian) const {
    const auto byte = [&](size_t i) { return static_cast<uint16_t>(static_cast<uint8_t>(bytes_[pos + i])); };
    return bigEndian ? static_cast<uint16_t>(byte(0) << 8 | byte(1))
                     : static_cast<uint16_t>(byte(1) << 8 | byte(0));
  }

  uint32_t Read32(size_t pos, bool bigEndian) const {
    return bigEndian ? (uint32_t{Read16(pos, true)} << 16) | Read16(pos + 2, true)
                     : (uint32_t{Read16(pos + 2, false)} << 16) | Read16(pos, false);
  }

  static std::string TrimmedUid(std::string_view value) {
    while (!value.empty() && (value.back() == '\0' || value.back() == ' ')) value.remove_suffix(1);
    return std::string(value);
  }

  std::string_view bytes_;
  Encoding encoding_;
  ImagePixelAttributes* pixels_;
  std::vector<Frame> frames_;
  unsigned sequences_ = 0;
  unsigned deepest_ = 0;
  size_t metaEnd_ = 0;
  std::string transferSyntax_;
};

// The deepest nesting in a data set read every way a parser might read it.
// The Image Pixel attributes come from the Explicit VR Little Endian reading:
// every transfer syntax with encapsulated pixel data uses it (PS3.5 §A.4).
unsigned DataSetDepth(std::string_view bytes, size_t start, ImagePixelAttributes* pixels) {
  unsigned deepest = 0;
  for (const Encoding encoding :
       {Encoding::kExplicitLittle, Encoding::kImplicitLittle, Encoding::kExplicitBig}) {
    NestingScanner scanner(bytes, encoding,
                           encoding == Encoding::kExplicitLittle ? pixels : nullptr);
    deepest = std::max(deepest, scanner.Scan(start));
    if (deepest > kMaxSequenceDepth) break;
  }
  return deepest;
}

// Inflates a deflated data set (raw deflate, PS3.5 §A.5, or with a zlib
// header, which some writers add) into `out` (or only counts its bytes when
// `out` is null), up to `maxBytes`. False when it is not deflate data or
// inflates past `maxBytes` (then `tooLarge`).
bool Inflate(std::string_view deflated, size_t maxBytes, std::string* out, bool& tooLarge) {
  for (const int windowBits : {-MAX_WBITS, MAX_WBITS}) {
    z_stream stream{};
    if (inflateInit2(&stream, windowBits) != Z_OK) return false;
    size_t total = 0;
    if (out != nullptr) out->clear();
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
    stream.avail_in = static_cast<uInt>(std::min<size_t>(deflated.size(), UINT32_MAX));
    char chunk[64 * 1024];
    int status = Z_OK;
    while (status == Z_OK) {
      stream.next_out = reinterpret_cast<Bytef*>(chunk);
      stream.avail_out = sizeof(chunk);
      status = inflate(&stream, Z_NO_FLUSH);
      const size_t produced = sizeof(chunk) - stream.avail_out;
      total += produced;
      if (total > maxBytes) {
        inflateEnd(&stream);
        tooLarge = true;
        return false;
      }
      if (out != nullptr) out->append(chunk, produced);
      if (status == Z_BUF_ERROR && stream.avail_in == 0) break;  // truncated: what there is
    }
    inflateEnd(&stream);
    if (status == Z_STREAM_END || (status == Z_BUF_ERROR && total > 0)) return true;
  }
  return false;
}

}  // namespace

SequenceNesting ScanSequenceNesting(std::string_view file, size_t maxInflatedBytes) {
  SequenceNesting nesting;
  size_t start = 0;
  if (file.size() >= 132 && file.substr(128, 4) == "DICM") start = 132;
  // The file meta information, when there is some (with or without preamble).
  NestingScanner meta(file, Encoding::kExplicitLittle);
  nesting.depth = meta.Scan(start, true);
  if (nesting.depth > kMaxSequenceDepth) return nesting;
  const size_t dataSet = meta.metaEnd();

  ImagePixelAttributes pixels;
  nesting.depth = std::max(nesting.depth, DataSetDepth(file, dataSet, &pixels));
  nesting.encapsulatedFrameBytes = pixels.EncapsulatedFrameBytes();
  if (meta.transferSyntax() == kDeflatedExplicitLittleEndian && nesting.depth <= kMaxSequenceDepth) {
    // Counted first, kept only when within the bound: a deflate bomb costs
    // time, never its inflated size in memory.
    const std::string_view deflated = file.substr(std::min(dataSet, file.size()));
    std::string inflated;
    if (Inflate(deflated, maxInflatedBytes, nullptr, nesting.inflatesTooLarge) &&
        Inflate(deflated, maxInflatedBytes, &inflated, nesting.inflatesTooLarge)) {
      nesting.depth = std::max(nesting.depth, DataSetDepth(inflated, 0, nullptr));
    }
  }
  return nesting;
}

void RequireShallowNesting(std::string_view file, size_t maxInflatedBytes) {
  const SequenceNesting nesting = ScanSequenceNesting(file, maxInflatedBytes);
  if (nesting.inflatesTooLarge) {
    throw HttpError(413, "decoded_too_large",
                    "the deflated data set inflates to more than " +
                        std::to_string(maxInflatedBytes >> 20) + " MiB",
                    {{"limit_bytes", static_cast<uint64_t>(maxInflatedBytes)}});
  }
  if (nesting.depth > kMaxSequenceDepth) {
    throw HttpError(400, "dicom_too_deep",
                    "the file nests sequences more than " + std::to_string(kMaxSequenceDepth) +
                        " levels deep",
                    {{"max_depth", kMaxSequenceDepth}});
  }
  if (nesting.encapsulatedFrameBytes > maxInflatedBytes) {
    throw HttpError(413, "decoded_too_large",
                    "one frame of the compressed pixel data decodes to " +
                        std::to_string(nesting.encapsulatedFrameBytes >> 20) + " MiB, more than " +
                        std::to_string(maxInflatedBytes >> 20) + " MiB",
                    {{"limit_bytes", static_cast<uint64_t>(maxInflatedBytes)}});
  }
}

size_t RequireShallowUpload(std::string_view body, std::string_view contentType,
                            size_t maxInflatedBytes) {
  if (MediaType(contentType) == "multipart/related") {
    const std::vector<MultipartPart> parts = SplitMultipart(body, contentType);
    for (const MultipartPart& part : parts) RequireShallowNesting(part.content, maxInflatedBytes);
    return parts.size();
  }
  if (body.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return 0;  // a ZIP archive
  RequireShallowNesting(body, maxInflatedBytes);
  return 1;
}

}  // namespace mis
