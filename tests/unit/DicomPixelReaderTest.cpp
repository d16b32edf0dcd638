// The DICOM reader on inputs built in the test: bytes that are not DICOM,
// damaged files, variants of known files, and a transfer syntax DCMTK cannot
// decode. Expected figures come from tests/data/corpus/expected.tsv (pydicom).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "DicomBytes.h"
#include "DicomNesting.h"
#include "DicomPixelReader.h"
#include "HttpError.h"
#include "TestFiles.h"
#include "VolumeAnswer.h"

namespace mis {
namespace {

using test::DataPath;
using test::ReadFile;

// From tests/data/corpus/expected.tsv, threshold 0.5.
constexpr uint64_t kCtSliceCount = 50080;  // ../1-101.dcm
constexpr double kCtSliceVolume = 143280.029296875;
constexpr uint64_t kMrSmallCount = 542;  // MR_small.dcm
constexpr double kMrSmallVolume = 42.34375;

// Runs `measure` and returns the HttpError it throws (fails the test if none).
template <typename Measure>
HttpError ErrorOf(Measure measure) {
  try {
    measure();
  } catch (const HttpError& error) {
    return error;
  }
  ADD_FAILURE() << "no HttpError thrown";
  return HttpError(0, "", "");
}

HttpError ErrorMeasuring(const std::string& bytes) {
  return ErrorOf([&] { MeasureDicomFile(bytes.data(), bytes.size(), 0.5); });
}

TEST(DicomPixelReader, EmptyBufferIs400) {
  EXPECT_EQ(ErrorOf([] { DicomPixelReader(nullptr, 0); }).Status(), 400);
  const std::string empty;
  EXPECT_EQ(ErrorOf([&] { DicomPixelReader(empty.data(), 0); }).Status(), 400);
}

TEST(DicomPixelReader, TextFileIsNotDicom) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "This is a plain text file, not a DICOM image.\n";
  const HttpError error = ErrorMeasuring(text);
  EXPECT_EQ(error.Status(), 400);
  EXPECT_EQ(error.Code(), "not_dicom");
}

TEST(DicomPixelReader, FirstThousandBytesOfAFileAre400) {
  const std::string head = ReadFile(DataPath("1-101.dcm")).substr(0, 1000);
  EXPECT_EQ(ErrorMeasuring(head).Status(), 400);
}

TEST(DicomPixelReader, FileCutInsideThePixelDataIs400) {
  const std::string file = ReadFile(DataPath("1-101.dcm"));
  for (size_t cut : {size_t{1}, size_t{1000}, size_t{300000}}) {
    EXPECT_EQ(ErrorMeasuring(file.substr(0, file.size() - cut)).Status(), 400) << "cut " << cut;
  }
}

TEST(DicomPixelReader, ExtraBytesAfterThePixelDataAreIgnored) {
  const std::string file = ReadFile(DataPath("1-101.dcm"));
  // Zero padding of whole and partial element headers, and text junk.
  for (const std::string& extra : {std::string(16, '\0'), std::string(1, '\0'),
                                   std::string("trailing junk from a sloppy writer")}) {
    const std::string padded = file + extra;
    const VolumeAnswer answer = MeasureDicomFile(padded.data(), padded.size(), 0.5);
    EXPECT_EQ(answer.count.above, kCtSliceCount) << extra.size() << " extra bytes";
    ASSERT_TRUE(answer.VolumeMm3());
    EXPECT_DOUBLE_EQ(*answer.VolumeMm3(), kCtSliceVolume);
  }
}

TEST(DicomPixelReader, DamageAfterCompressedPixelDataIsIgnored) {
  // Junk appended, and the DataSetTrailingPadding that follows the pixel data
  // in this file cut short: the image itself is whole.
  const std::string file = ReadFile(DataPath("corpus/MR_small_RLE.dcm"));
  for (const std::string& damaged : {file + "junk", file.substr(0, file.size() - 1)}) {
    const VolumeAnswer answer = MeasureDicomFile(damaged.data(), damaged.size(), 0.5);
    EXPECT_EQ(answer.count.above, kMrSmallCount);
  }
}

TEST(DicomPixelReader, CompressedFileCutInsideThePixelDataIs400) {
  // The file ends with a sequence delimiter and a 138-byte DataSetTrailingPadding
  // after the pixel data: cutting 200 bytes or more reaches the compressed frame.
  const std::string file = ReadFile(DataPath("corpus/MR_small_RLE.dcm"));
  for (size_t cut : {size_t{200}, size_t{1000}, file.size() / 2}) {
    EXPECT_EQ(ErrorMeasuring(file.substr(0, file.size() - cut)).Status(), 400) << "cut " << cut;
  }
}

// Issue 16, item 6: compressed input expanded without bound (1 MB of RLE to
// 1 GB). An RLE file of a few hundred bytes whose header promises
// 65535 x 65535 x 100 16-bit pixels (800 GiB) gets the 413 before any decoding.
TEST(DicomPixelReader, CompressedPixelDataDecodingToTooMuchIs413) {
  const test::Writer writer{test::Syntax::kExplicitLittle};
  auto us = [&](uint16_t element, uint16_t value) {
    return writer.Element(0x0028, element, "US", test::Little16(value));
  };
  const std::string fragment(64, '\0');
  const std::string dataSet =
      writer.Element(0x0008, 0x0016, "UI", std::string("1.2.840.10008.5.1.4.1.1.7") + '\0') +
      writer.Element(0x0008, 0x0018, "UI", "1.2.3.4") + us(0x0002, 1) +
      writer.Element(0x0028, 0x0004, "CS", "MONOCHROME2 ") +
      writer.Element(0x0028, 0x0008, "IS", "100 ") + us(0x0010, 65535) + us(0x0011, 65535) +
      us(0x0100, 16) + us(0x0101, 16) + us(0x0102, 15) + us(0x0103, 0) +
      writer.Tag(0x7FE0, 0x0010) + "OB" + std::string(2, '\0') + test::Little32(test::kUndefinedLength) +
      writer.Tag(0xFFFE, 0xE000) + test::Little32(0) +
      writer.Tag(0xFFFE, 0xE000) + test::Little32(fragment.size()) + fragment +
      writer.Tag(0xFFFE, 0xE0DD) + test::Little32(0);
  const std::string file = test::Part10("1.2.840.10008.1.2.5", dataSet);  // RLE Lossless
  const HttpError error = ErrorMeasuring(file);
  EXPECT_EQ(error.Status(), 413) << error.Detail();
  EXPECT_EQ(error.Code(), "decoded_too_large");
  ASSERT_EQ(error.Figures().size(), 1u);
  EXPECT_EQ(error.Figures()[0].value, kMaxDecodedDicomBytes);
}

TEST(DicomPixelReader, ReadsTheHeaderOfTheCtSlice) {
  // Figures from the README ("POST /api/volume") for this slice; pydicom reads
  // PixelRepresentation 0 (unsigned, with RescaleIntercept -1024).
  const std::string file = ReadFile(DataPath("1-101.dcm"));
  DicomPixelReader reader(file.data(), file.size());
  const DicomImageInfo& info = reader.Info();
  EXPECT_EQ(info.rows, 512u);
  EXPECT_EQ(info.columns, 512u);
  EXPECT_EQ(info.frames, 1u);
  EXPECT_EQ(info.samplesPerPixel, 1u);
  EXPECT_EQ(info.bitsAllocated, 16u);
  EXPECT_FALSE(info.isSigned);
  EXPECT_EQ(info.pixelSpacingRow, 0.9765625);
  EXPECT_EQ(info.pixelSpacingColumn, 0.9765625);
  EXPECT_EQ(info.sliceThickness, 3.0);
  EXPECT_FALSE(info.sopInstanceUid.empty());
  EXPECT_EQ(reader.Samples().count, 512u * 512u);
}

// Explicit VR little endian elements, for datasets built byte by byte.
std::string ShortElement(uint16_t group, uint16_t element, const char* vr, const std::string& value) {
  std::string out;
  for (uint16_t part : {group, element}) out += {static_cast<char>(part & 0xff), static_cast<char>(part >> 8)};
  out += vr;
  out += {static_cast<char>(value.size() & 0xff), static_cast<char>(value.size() >> 8)};
  return out + value;
}
std::string Us(uint16_t group, uint16_t element, uint16_t value) {
  return ShortElement(group, element, "US",
                      {static_cast<char>(value & 0xff), static_cast<char>(value >> 8)});
}

// Rows x Columns x NumberOfFrames x 4 bytes overflows 64 bits and wraps to 512:
// (60104 * 65362 * 1173899784 * 4) mod 2^64 = 512. 512 bytes of pixel data must
// not pass for the 2^62 samples the header claims.
TEST(DicomPixelReader, SizesWhoseByteCountOverflowsAre400) {
  std::string dataset = Us(0x0028, 0x0002, 1) +
                        ShortElement(0x0028, 0x0004, "CS", "MONOCHROME2 ") +
                        ShortElement(0x0028, 0x0008, "IS", "1173899784") +
                        Us(0x0028, 0x0010, 60104) + Us(0x0028, 0x0011, 65362) +
                        Us(0x0028, 0x0100, 32) + Us(0x0028, 0x0101, 32) +
                        Us(0x0028, 0x0102, 31) + Us(0x0028, 0x0103, 0);
  const std::string pixels(512, '\x01');
  dataset += std::string("\xe0\x7f\x10\x00OW\0\0", 8);
  dataset += {static_cast<char>(pixels.size() & 0xff), static_cast<char>(pixels.size() >> 8), 0, 0};
  dataset += pixels;
  EXPECT_EQ(ErrorMeasuring(dataset).Status(), 400);
}

TEST(DicomPixelReader, BareDatasetWithoutPreambleOrMetaHeader) {
  // Drop the 128-byte preamble, "DICM" and the group 0002 (its length is the
  // value of (0002,0000) UL, the first element): what remains is the dataset,
  // explicit VR little endian like the file.
  const std::string file = ReadFile(DataPath("corpus/MR_small.dcm"));
  ASSERT_EQ(file.substr(128, 4), "DICM");
  ASSERT_EQ(file.substr(132, 6), std::string("\x02\x00\x00\x00UL", 6));
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(file[i])); };
  const uint32_t metaLength = byte(140) | byte(141) << 8 | byte(142) << 16 | byte(143) << 24;
  const std::string dataset = file.substr(144 + metaLength);
  ASSERT_EQ(dataset.substr(0, 2), std::string("\x08\x00", 2));  // group 0008 follows

  const VolumeAnswer answer = MeasureDicomFile(dataset.data(), dataset.size(), 0.5);
  EXPECT_EQ(answer.count.above, kMrSmallCount);
  ASSERT_TRUE(answer.VolumeMm3());
  EXPECT_DOUBLE_EQ(*answer.VolumeMm3(), kMrSmallVolume);
}

TEST(DicomPixelReader, Jpeg2000IsAnUnsupportedTransferSyntax) {
  // DCMTK has no JPEG 2000 decoder: the header is read, the samples are refused
  // with a typed 422 so that the glue can try Orthanc's decoder instead.
  const std::string file = ReadFile(DataPath("pydicom/MR_small_jp2klossless.dcm"));
  DicomPixelReader reader(file.data(), file.size());
  EXPECT_EQ(reader.Info().rows, 64u);
  EXPECT_EQ(reader.Info().transferSyntaxUid, "1.2.840.10008.1.2.4.90");
  try {
    reader.Samples();
    FAIL() << "JPEG 2000 decoded by DCMTK?";
  } catch (const UnsupportedTransferSyntax& error) {
    EXPECT_EQ(error.Status(), 422);
    EXPECT_EQ(error.Code(), "unsupported_transfer_syntax");
    EXPECT_EQ(error.Uid(), "1.2.840.10008.1.2.4.90");
  }
}

TEST(DicomPixelReader, ColourImageIs422) {
  const std::string file = ReadFile(DataPath("corpus/SC_rgb_rle.dcm"));
  const HttpError error = ErrorMeasuring(file);
  EXPECT_EQ(error.Status(), 422);
  EXPECT_EQ(error.Code(), "colour_image");
  EXPECT_NE(error.Detail().find("colour image (RGB)"), std::string::npos) << error.Detail();
}

TEST(DicomPixelReader, SamplesCanBeAskedTwice) {
  // 32-bit big endian words are fixed in place once; a second call must not
  // swap them back. rtdose_expb.dcm: 15 frames of 10 x 10, whose range is
  // [795000, 1254000] by pydicom.
  const std::string file = ReadFile(DataPath("pydicom/rtdose_expb.dcm"));
  DicomPixelReader reader(file.data(), file.size());
  const ThresholdCount first = CountAboveThreshold(reader.Samples(), 0.5);
  const ThresholdCount second = CountAboveThreshold(reader.Samples(), 0.5);
  EXPECT_EQ(reader.Samples().count, 1500u);
  EXPECT_EQ(first.minimum, 795000);
  EXPECT_EQ(first.maximum, 1254000);
  EXPECT_EQ(second.minimum, 795000);
  EXPECT_EQ(second.maximum, 1254000);
  EXPECT_EQ(first.above, second.above);
}

// Issue 17, kind 2: the frames of an enhanced multi-frame image in space,
// not by number. Orders worked out by hand from each file's per-frame
// PlanePositionSequence (tests/data/field-cases/README and make_own_cases.py).
std::vector<size_t> FrameOrderOf(const std::string& path) {
  const std::string file = ReadFile(DataPath(path));
  const DicomPixelReader reader(file.data(), file.size());
  return reader.FrameOrder();
}

TEST(DicomPixelReader, FramesInSpatialOrder) {
  // z = 20, 0, 40, 10, 30.
  EXPECT_EQ(FrameOrderOf("field-cases/50-enhanced-random-frame-order.dcm"),
            (std::vector<size_t>{1, 3, 0, 4, 2}));
  // z = 50, 40, 30, 20, 10, 0.
  EXPECT_EQ(FrameOrderOf("field-cases/own-50b-enhanced-descending.dcm"),
            (std::vector<size_t>{5, 4, 3, 2, 1, 0}));
  // 7, 3, -1, 5, 1 mm along an oblique normal, orientation in each frame's group.
  EXPECT_EQ(FrameOrderOf("field-cases/own-50c-enhanced-oblique-per-frame-orientation.dcm"),
            (std::vector<size_t>{2, 4, 1, 3, 0}));
  // Without functional groups: frame number order (15 frames of RT Dose).
  std::vector<size_t> numbers(15);
  for (size_t i = 0; i < numbers.size(); ++i) numbers[i] = i;
  EXPECT_EQ(FrameOrderOf("pydicom/rtdose_expb.dcm"), numbers);
  EXPECT_EQ(FrameOrderOf("1-101.dcm"), (std::vector<size_t>{0}));
}

// Issue 17, kind 4: samples from a decoder outside DCMTK (Orthanc's GDCM for
// JPEG 2000) read as the data set says, whatever sign the codestream gave.
TEST(AsTheDataSetSays, TheDataSetGivesTheSignAndTheSignificantBits) {
  DicomImageInfo info;
  info.bitsStored = 12;
  info.highBit = 11;
  info.isSigned = true;
  PixelSamples decoded;  // GDCM's unsigned 16-bit image of an unsigned codestream
  decoded.type = SampleType::kUint16;
  decoded.bitsStored = 16;
  decoded.highBit = 15;
  PixelSamples read = AsTheDataSetSays(decoded, info);
  EXPECT_EQ(read.type, SampleType::kInt16);
  EXPECT_EQ(read.bitsStored, 12u);
  EXPECT_EQ(read.highBit, 11u);

  info.isSigned = false;  // a signed image where the data set says unsigned
  decoded.type = SampleType::kInt16;
  read = AsTheDataSetSays(decoded, info);
  EXPECT_EQ(read.type, SampleType::kUint16);

  info.highBit = 15;  // decoded values start at bit 0 whatever HighBit says
  EXPECT_EQ(AsTheDataSetSays(decoded, info).highBit, 11u);

  info.bitsStored = 0;  // nothing to go by, or more bits than the samples hold
  EXPECT_EQ(AsTheDataSetSays(decoded, info).type, SampleType::kInt16);
  info.bitsStored = 17;
  EXPECT_EQ(AsTheDataSetSays(decoded, info).bitsStored, 16u);
  info.bitsStored = 12;
  decoded.type = SampleType::kFloat32;  // no bits to interpret
  EXPECT_EQ(AsTheDataSetSays(decoded, info).type, SampleType::kFloat32);
}

}  // namespace
}  // namespace mis
