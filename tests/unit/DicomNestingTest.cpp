// ScanSequenceNesting and RequireShallowNesting (DicomNesting.h): the depth of
// nested sequences, counted without recursion in every encoding PS3.5 allows,
// and checked before DCMTK reads a file, on the stack of Orthanc's HTTP
// threads (issue 16, item 2: 50 nested sequences in 2.4 KB ended the server).
// The files are written byte by byte here, and the depth each should have is
// the number of sequences the test nests, never a figure the scanner gave.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "DicomBytes.h"
#include "DicomNesting.h"
#include "DicomPixelReader.h"
#include "HttpError.h"
#include "ServerThreadStack.h"

namespace mis {
namespace {

using test::Little32;
using test::Part10;
using test::Syntax;
using test::UidOf;
using test::Deflated;
using test::EncapsulatedImage;
using test::Writer;
using test::kUndefinedLength;

unsigned DepthOf(const std::string& file) {
  return ScanSequenceNesting(file, kMaxDecodedDicomBytes).depth;
}


TEST(DicomNesting, CountsNestedSequencesInEveryEncoding) {
  for (const Syntax syntax : {Syntax::kExplicitLittle, Syntax::kImplicitLittle, Syntax::kExplicitBig}) {
    const Writer writer{syntax};
    for (const bool defined : {true, false}) {
      for (const unsigned levels : {0u, 1u, 5u, kMaxSequenceDepth}) {
        SCOPED_TRACE(std::string(UidOf(syntax)) + (defined ? " defined" : " undefined") +
                     " lengths, " + std::to_string(levels) + " levels");
        EXPECT_EQ(DepthOf(Part10(UidOf(syntax), writer.Nested(levels, defined))), levels);
        // A bare data set, without preamble or meta.
        EXPECT_EQ(DepthOf(writer.Nested(levels, defined)), levels);
      }
      EXPECT_EQ(DepthOf(Part10(UidOf(syntax), writer.Nested(50, defined))), kMaxSequenceDepth + 1);
    }
  }
}

TEST(DicomNesting, SiblingSequencesDoNotAddUp) {
  const Writer writer{Syntax::kExplicitLittle};
  std::string dataSet;
  for (int i = 0; i < 100; ++i) dataSet += writer.Sequence(writer.Element(0x0008, 0x0100, "SH", "CODE"), i % 2 == 0);
  EXPECT_EQ(DepthOf(Part10(UidOf(Syntax::kExplicitLittle), dataSet)), 1u);
}

TEST(DicomNesting, UnknownVrOfUndefinedLengthHoldsImplicitVrItems) {
  // PS3.5 §6.2.2: a sequence sent as UN keeps its items in Implicit VR Little Endian.
  const Writer inner{Syntax::kImplicitLittle};
  const std::string implicitItems = inner.Nested(30, false).substr(inner.Element(0x0008, 0x0060, "CS", "SR").size());
  const Writer outer{Syntax::kExplicitLittle};
  const std::string unknown = outer.Tag(0x0009, 0x1010) + "UN" + std::string(2, '\0') + Little32(kUndefinedLength) +
                              outer.Tag(0xFFFE, 0xE000) + Little32(kUndefinedLength) + implicitItems +
                              outer.Tag(0xFFFE, 0xE00D) + Little32(0) + outer.Tag(0xFFFE, 0xE0DD) + Little32(0);
  EXPECT_GT(DepthOf(Part10(UidOf(Syntax::kExplicitLittle), unknown)), kMaxSequenceDepth);
}

TEST(DicomNesting, EncapsulatedPixelDataFragmentsAreNotDataSets) {
  const Writer writer{Syntax::kExplicitLittle};
  // A fragment whose bytes look like 50 nested items: bytes, not a data set.
  std::string fragment;
  for (int i = 0; i < 50; ++i) fragment += writer.Tag(0xFFFE, 0xE000) + Little32(kUndefinedLength);
  const std::string pixels = writer.Tag(0x7FE0, 0x0010) + "OB" + std::string(2, '\0') + Little32(kUndefinedLength) +
                             writer.Tag(0xFFFE, 0xE000) + Little32(0) +  // empty offset table
                             writer.Tag(0xFFFE, 0xE000) + Little32(fragment.size()) + fragment +
                             writer.Tag(0xFFFE, 0xE0DD) + Little32(0);
  EXPECT_EQ(DepthOf(Part10("1.2.840.10008.1.2.4.50", writer.Nested(2, true) + pixels)), 2u);
}

TEST(DicomNesting, ADeflatedDataSetIsInflatedAndBounded) {
  const Writer writer{Syntax::kExplicitLittle};
  const std::string deflatedUid = "1.2.840.10008.1.2.1.99";
  EXPECT_EQ(DepthOf(Part10(deflatedUid, Deflated(writer.Nested(3, false)))), 3u);
  EXPECT_GT(DepthOf(Part10(deflatedUid, Deflated(writer.Nested(50, false)))), kMaxSequenceDepth);
  // 8 MiB of zeros in a value, inflated with a 1 MiB bound.
  const std::string large = writer.Element(0x0009, 0x1011, "OB", std::string(8 << 20, '\0'));
  const SequenceNesting bounded = ScanSequenceNesting(Part10(deflatedUid, Deflated(large)), 1 << 20);
  EXPECT_TRUE(bounded.inflatesTooLarge);
}

// Issue 16, item 6, compressed pixel data: a few KB of JPEG-LS or JPEG 2000
// may declare a frame of 65535 x 65535 x 3 samples of 16 bits, 24 GiB that
// Orthanc's previews would decode. The header's figures bound a frame.
TEST(DicomNesting, AFrameOfCompressedPixelDataIsBoundedByItsHeader) {
  const Writer writer{Syntax::kExplicitLittle};
  const std::string jpegLs = "1.2.840.10008.1.2.4.80";
  const auto scan = [&](const std::string& dataSet) {
    return ScanSequenceNesting(Part10(jpegLs, dataSet), kMaxDecodedDicomBytes);
  };
  // 512 x 512, one sample of 16 bits: 512 KiB a frame.
  EXPECT_EQ(scan(EncapsulatedImage(writer, 512, 512, 1, 16)).encapsulatedFrameBytes,
            uint64_t{512} * 512 * 2);
  EXPECT_NO_THROW(
      RequireShallowNesting(Part10(jpegLs, EncapsulatedImage(writer, 512, 512, 1, 16)),
                            kMaxDecodedDicomBytes));
  // 12 bits are allocated as 2 bytes; 65535 x 65535 x 3 x 2 bytes = 24 GiB.
  EXPECT_EQ(scan(EncapsulatedImage(writer, 65535, 65535, 3, 12)).encapsulatedFrameBytes,
            uint64_t{65535} * 65535 * 3 * 2);
  try {
    RequireShallowNesting(Part10(jpegLs, EncapsulatedImage(writer, 65535, 65535, 3, 16)),
                          kMaxDecodedDicomBytes);
    ADD_FAILURE() << "a 24 GiB frame passed";
  } catch (const HttpError& error) {
    EXPECT_EQ(error.Status(), 413);
    EXPECT_EQ(error.Code(), "decoded_too_large");
  }
  // Just above and at the bound: 16385 x 16384 x 1 x 2 bytes and 16384 x 16384.
  EXPECT_THROW(RequireShallowNesting(Part10(jpegLs, EncapsulatedImage(writer, 16385, 16384, 1, 16)),
                                     kMaxDecodedDicomBytes),
               HttpError);
  EXPECT_NO_THROW(RequireShallowNesting(
      Part10(jpegLs, EncapsulatedImage(writer, 16384, 16384, 1, 16)), kMaxDecodedDicomBytes));
  // Native pixel data is the upload's own size: not counted here.
  const std::string native = writer.Element(0x0028, 0x0010, "US", writer.U16(65535)) +
                             writer.Element(0x0028, 0x0011, "US", writer.U16(65535)) +
                             writer.Element(0x0028, 0x0100, "US", writer.U16(16)) +
                             writer.Element(0x7FE0, 0x0010, "OW", std::string(8, '\0'));
  EXPECT_EQ(ScanSequenceNesting(Part10(UidOf(Syntax::kExplicitLittle), native), kMaxDecodedDicomBytes)
                .encapsulatedFrameBytes,
            0u);
}

TEST(DicomNesting, TruncatedAndGarbageInputsEndTheScan) {
  const Writer writer{Syntax::kExplicitLittle};
  const std::string file = Part10(UidOf(Syntax::kExplicitLittle), writer.Nested(10, false));
  for (size_t size = 0; size < file.size(); size += 7) {
    EXPECT_LE(DepthOf(file.substr(0, size)), 10u) << size;
  }
  // Read as Implicit VR, 0xFF bytes are elements of undefined length, which
  // a parser enters as sequences: counted, the safe side.
  EXPECT_EQ(DepthOf(std::string(1000, '\xff')), kMaxSequenceDepth + 1);
  EXPECT_EQ(DepthOf(std::string(1000, '\0')), 0u);
  // 100,000 open items with no sequence around them: refused, not stacked.
  std::string items;
  for (int i = 0; i < 100'000; ++i) items += writer.Tag(0xFFFE, 0xE000) + Little32(kUndefinedLength);
  EXPECT_GT(DepthOf(items), kMaxSequenceDepth);
}

// Without the check, DCMTK's reading ends this thread at 65 levels (60 pass).
TEST(DicomNesting, TheReaderRefusesDeepFilesOnTheServersStack) {
  const Writer writer{Syntax::kExplicitLittle};
  const std::string deep = Part10(UidOf(Syntax::kExplicitLittle), writer.Nested(100, true));
  test::RunOnServerHttpStack([&] {
    try {
      DicomPixelReader reader(deep.data(), deep.size());
      ADD_FAILURE() << "a file nesting 100 sequences was read";
    } catch (const HttpError& error) {
      EXPECT_EQ(error.Status(), 400);
      EXPECT_EQ(error.Code(), "dicom_too_deep");
    }
  });
}

}  // namespace
}  // namespace mis
