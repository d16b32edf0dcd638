#pragma once

// DICOM files written byte by byte (PS3.5 §7, PS3.10 §7), for tests that need
// encodings and structures no library writes on request: sequences nested to
// any depth, in every transfer syntax, with defined or undefined lengths.
// Header-only, shared by the unit and the integration tests.

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace mis::test {

enum class Syntax { kExplicitLittle, kImplicitLittle, kExplicitBig };

inline std::string Little16(uint16_t v) { return {char(v & 0xff), char(v >> 8)}; }
inline std::string Little32(uint32_t v) { return Little16(v & 0xffff) + Little16(v >> 16); }
inline std::string Big16(uint16_t v) { return {char(v >> 8), char(v & 0xff)}; }
inline std::string Big32(uint32_t v) { return Big16(v >> 16) + Big16(v & 0xffff); }

constexpr uint32_t kUndefinedLength = 0xFFFFFFFF;

// Writes elements in one transfer syntax (PS3.5 §7.1).
struct Writer {
  Syntax syntax;

  std::string U16(uint16_t v) const { return syntax == Syntax::kExplicitBig ? Big16(v) : Little16(v); }
  std::string U32(uint32_t v) const { return syntax == Syntax::kExplicitBig ? Big32(v) : Little32(v); }
  std::string Tag(uint16_t group, uint16_t element) const { return U16(group) + U16(element); }

  std::string Element(uint16_t group, uint16_t element, const std::string& vr,
                      const std::string& value) const {
    if (syntax == Syntax::kImplicitLittle) return Tag(group, element) + U32(value.size()) + value;
    // PS3.5 Table 7.1-1: these VRs have a reserved field and a 32-bit length.
    static const std::string kLongVrs = "OB OD OF OL OV OW SQ SV UC UN UR UT UV";
    if (kLongVrs.find(vr) != std::string::npos) {
      return Tag(group, element) + vr + std::string(2, '\0') + U32(value.size()) + value;
    }
    return Tag(group, element) + vr + U16(value.size()) + value;
  }

  // A sequence (Content Sequence, 0040,A730) of one item holding `inside`.
  std::string Sequence(const std::string& inside, bool definedLengths) const {
    const std::string header = syntax == Syntax::kImplicitLittle
                                   ? Tag(0x0040, 0xA730)
                                   : Tag(0x0040, 0xA730) + "SQ" + std::string(2, '\0');
    if (definedLengths) {
      const std::string item = Tag(0xFFFE, 0xE000) + U32(inside.size()) + inside;
      return header + U32(item.size()) + item;
    }
    return header + U32(kUndefinedLength) + Tag(0xFFFE, 0xE000) + U32(kUndefinedLength) + inside +
           Tag(0xFFFE, 0xE00D) + U32(0) + Tag(0xFFFE, 0xE0DD) + U32(0);
  }

  // `levels` sequences, each in the item of the one before.
  std::string Nested(unsigned levels, bool definedLengths) const {
    std::string inside = Element(0x0040, 0xA160, "UT", "leaf");
    for (unsigned i = 0; i < levels; ++i) inside = Sequence(inside, definedLengths);
    return Element(0x0008, 0x0060, "CS", "SR") + inside;
  }
};

inline const char* UidOf(Syntax syntax) {
  switch (syntax) {
    case Syntax::kImplicitLittle: return "1.2.840.10008.1.2";
    case Syntax::kExplicitBig: return "1.2.840.10008.1.2.2";
    default: return "1.2.840.10008.1.2.1";
  }
}

// A Part 10 file: preamble, "DICM", meta (Explicit VR Little Endian), data set.
inline std::string Part10(const std::string& uid, const std::string& dataSet) {
  const Writer meta{Syntax::kExplicitLittle};
  std::string paddedUid = uid;
  if (paddedUid.size() % 2 != 0) paddedUid += '\0';
  return std::string(128, '\0') + "DICM" + meta.Element(0x0002, 0x0010, "UI", paddedUid) + dataSet;
}

// A Comprehensive SR instance (Explicit VR Little Endian, Part 10) whose
// content nests `levels` sequences, with the identifiers Orthanc needs to
// store it: SOP Instance UID `sopInstanceUid`, study and series UIDs made
// from it, patient "NESTED^TEST".
inline std::string NestedInstance(unsigned levels, const std::string& sopInstanceUid) {
  const Writer writer{Syntax::kExplicitLittle};
  const Writer meta{Syntax::kExplicitLittle};
  auto even = [](std::string value, char pad) {
    if (value.size() % 2 != 0) value += pad;
    return value;
  };
  const std::string sopClass = "1.2.840.10008.5.1.4.1.1.88.33";
  std::string dataSet = writer.Element(0x0008, 0x0016, "UI", even(sopClass, '\0')) +
                        writer.Element(0x0008, 0x0018, "UI", even(sopInstanceUid, '\0')) +
                        writer.Element(0x0008, 0x0060, "CS", "SR") +
                        writer.Element(0x0010, 0x0010, "PN", even("NESTED^TEST", ' ')) +
                        writer.Element(0x0010, 0x0020, "LO", even("NESTED-" + sopInstanceUid.substr(sopInstanceUid.size() - 4), ' ')) +
                        writer.Element(0x0020, 0x000D, "UI", even(sopInstanceUid + ".1", '\0')) +
                        writer.Element(0x0020, 0x000E, "UI", even(sopInstanceUid + ".2", '\0'));
  std::string content = writer.Element(0x0040, 0xA160, "UT", "leaf");
  for (unsigned i = 0; i < levels; ++i) content = writer.Sequence(content, true);
  dataSet += content;
  const std::string metaElements =
      meta.Element(0x0002, 0x0001, "OB", std::string("\0\1", 2)) +
      meta.Element(0x0002, 0x0002, "UI", even(sopClass, '\0')) +
      meta.Element(0x0002, 0x0003, "UI", even(sopInstanceUid, '\0')) +
      meta.Element(0x0002, 0x0010, "UI", even(UidOf(Syntax::kExplicitLittle), '\0'));
  return std::string(128, '\0') + "DICM" +
         meta.Element(0x0002, 0x0000, "UL", Little32(metaElements.size())) + metaElements + dataSet;
}

// Raw deflate (PS3.5 §A.5) of `head` followed by `zeros` zero bytes, the
// zeros fed a MiB at a time so that a deflate bomb never sits in memory.
inline std::string Deflated(const std::string& head, size_t zeros = 0) {
  z_stream stream{};
  if (deflateInit2(&stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  char buffer[64 * 1024];
  const std::string chunk(1 << 20, '\0');
  auto feed = [&](const char* data, size_t size, int flush) {
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    stream.avail_in = static_cast<uInt>(size);
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof(buffer);
      deflate(&stream, flush);
      out.append(buffer, sizeof(buffer) - stream.avail_out);
    } while (stream.avail_out == 0);
  };
  feed(head.data(), head.size(), Z_NO_FLUSH);
  for (size_t left = zeros; left > 0; left -= std::min(left, chunk.size())) {
    feed(chunk.data(), std::min(left, chunk.size()), Z_NO_FLUSH);
  }
  feed(nullptr, 0, Z_FINISH);
  deflateEnd(&stream);
  return out;
}

// A Part 10 file in Deflated Explicit VR Little Endian whose data set holds
// an identified image header and an OB value of `zeros` zero bytes: a few
// hundred KB that inflate to `zeros` bytes and more.
inline std::string DeflateBomb(size_t zeros, const std::string& sopInstanceUid) {
  const Writer writer{Syntax::kExplicitLittle};
  std::string head = NestedInstance(0, sopInstanceUid);
  head = head.substr(head.find("DICM") + 4);
  head = head.substr(head.find(writer.Tag(0x0008, 0x0016)));  // the data set, without the meta
  const std::string header = writer.Tag(0x0009, 0x1001) + "OB" + std::string(2, '\0') +
                             Little32(static_cast<uint32_t>(zeros));
  return Part10("1.2.840.10008.1.2.1.99", Deflated(head + header, zeros));
}

// The Image Pixel attributes of a compressed image (PS3.3 §C.7.6.3) and
// encapsulated pixel data of one 4-byte fragment (PS3.5 §A.4), whatever the
// header promises: a frame of `rows` x `columns` x `samples` samples of
// `bitsAllocated` bits. The figures are what a decoder would allocate.
inline std::string EncapsulatedImage(const Writer& writer, uint16_t rows, uint16_t columns,
                                     uint16_t samples, uint16_t bitsAllocated) {
  return writer.Element(0x0028, 0x0002, "US", writer.U16(samples)) +
         writer.Element(0x0028, 0x0004, "CS", samples == 1 ? "MONOCHROME2 " : "RGB ") +
         writer.Element(0x0028, 0x0010, "US", writer.U16(rows)) +
         writer.Element(0x0028, 0x0011, "US", writer.U16(columns)) +
         writer.Element(0x0028, 0x0100, "US", writer.U16(bitsAllocated)) +
         writer.Element(0x0028, 0x0101, "US", writer.U16(bitsAllocated)) +
         writer.Element(0x0028, 0x0102, "US", writer.U16(bitsAllocated - 1)) +
         writer.Element(0x0028, 0x0103, "US", writer.U16(0)) +
         writer.Tag(0x7FE0, 0x0010) + "OB" + std::string(2, '\0') + Little32(kUndefinedLength) +
         writer.Tag(0xFFFE, 0xE000) + Little32(0) +  // empty offset table
         writer.Tag(0xFFFE, 0xE000) + Little32(4) + std::string(4, '\x55') +
         writer.Tag(0xFFFE, 0xE0DD) + Little32(0);
}

// A JPEG-LS Lossless instance (PS3.5 §A.4.3) of a few hundred bytes whose
// header promises one frame of `rows` x `columns` x `samples` samples of 16
// bits, with the identifiers of NestedInstance(0, sopInstanceUid).
inline std::string CompressedFrameBomb(uint16_t rows, uint16_t columns, uint16_t samples,
                                       const std::string& sopInstanceUid) {
  const Writer writer{Syntax::kExplicitLittle};
  std::string head = NestedInstance(0, sopInstanceUid);
  head = head.substr(head.find("DICM") + 4);
  head = head.substr(head.find(writer.Tag(0x0008, 0x0016)));  // the data set, without the meta
  head = head.substr(0, head.find(writer.Tag(0x0040, 0xA160)));  // without the content
  return Part10("1.2.840.10008.1.2.4.80", head + EncapsulatedImage(writer, rows, columns, samples, 16));
}

}  // namespace mis::test
