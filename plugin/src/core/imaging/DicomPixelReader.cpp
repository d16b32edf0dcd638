#include "DicomPixelReader.h"
#include "DicomNesting.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

#include "HttpError.h"
#include "SliceOrder.h"
#include "ValueRepresentations.h"

namespace mis {
namespace {

// Whether the transfer syntax's pixel data is compressed in fragments (JPEG,
// JPEG-LS, RLE, ...: PS3.5 §A.4), which DCMTK must decode first. DCMTK 3.6.9
// (Debian 13) deprecates isEncapsulated() for the two questions it answers.
bool IsCompressed(const DcmXfer& transferSyntax) {
#if PACKAGE_VERSION_NUMBER >= 369  // osconfig.h: 367 on Debian 12, 369 on Debian 13
  return transferSyntax.usesEncapsulatedFormat() && transferSyntax.isPixelDataCompressed();
#else
  return transferSyntax.isEncapsulated();
#endif
}

constexpr size_t kPreambleSize = 128;

// Values longer than this are not read during the parse but skipped, and
// loaded once the parse has shown that their bytes are there (DCMTK's own
// default for files).
constexpr Uint32 kMaxReadLength = 4096;

// The bytes of the upload, and where a deflated dataset starts in them.
struct MemorySource {
  const char* data;
  offile_off_t size;
  std::optional<offile_off_t> deflatedFrom;
};

// A value DCMTK skipped during the parse: its position in the (inflated)
// stream, and whether the bytes that follow hold all of it.
struct SkippedValue {
  std::shared_ptr<const MemorySource> source;
  offile_off_t position;
  bool complete = true;
};

// Creates a stream on a skipped value: DCMTK's way to load it after the parse.
// A value cut short gets an empty stream, so that loading it fails before
// DCMTK allocates its declared length.
class MemoryStreamFactory : public DcmInputStreamFactory {
 public:
  explicit MemoryStreamFactory(std::shared_ptr<const SkippedValue> value)
      : value_(std::move(value)) {}
  DcmInputStream* create() const override {
    auto* stream = new DcmInputBufferStream();
    const MemorySource& source = *value_->source;
    if (!value_->complete) {
      stream->setBuffer(source.data, 0);
    } else if (source.deflatedFrom) {
      // Offsets in a deflated dataset count inflated bytes: inflate up to the value.
      stream->setBuffer(source.data, source.size);
      stream->skip(*source.deflatedFrom);
      stream->installCompressionFilter(ESC_zlib);
      stream->skip(value_->position - *source.deflatedFrom);
    } else {
      stream->setBuffer(source.data + value_->position, source.size - value_->position);
    }
    stream->setEos();
    return stream;
  }
  DcmInputStreamFactory* clone() const override { return new MemoryStreamFactory(*this); }
  DcmInputStreamFactoryType ident() const override { return DFT_DcmInputFileStreamFactory; }

 private:
  std::shared_ptr<const SkippedValue> value_;
};

// A buffer stream that, like a file stream, lets DCMTK skip long values and
// load them later. DCMTK allocates a value at its declared length before
// reading it: from a plain buffer stream, a 10 KB upload declaring a 4 GB
// element made it allocate 4 GB (found by fuzzing). Skipping fails instead
// when the bytes are not there.
class MemoryInputStream : public DcmInputBufferStream {
 public:
  MemoryInputStream(const void* data, size_t size)
      : source_(std::make_shared<MemorySource>(
            MemorySource{static_cast<const char*>(data), static_cast<offile_off_t>(size), {}})) {
    setBuffer(data, source_->size);
    setEos();
  }
  // DCMTK asks for a factory, then skips the value.
  DcmInputStreamFactory* newFactory() const override {
    lastSkipped_ = std::make_shared<SkippedValue>(SkippedValue{source_, tell()});
    return new MemoryStreamFactory(lastSkipped_);
  }
  offile_off_t skip(offile_off_t length) override {
    const offile_off_t skipped = DcmInputBufferStream::skip(length);
    if (skipped < length && lastSkipped_) lastSkipped_->complete = false;
    lastSkipped_.reset();
    return skipped;
  }
  OFCondition installCompressionFilter(E_StreamCompression filterType) override {
    source_->deflatedFrom = tell();
    return DcmInputBufferStream::installCompressionFilter(filterType);
  }

 private:
  std::shared_ptr<MemorySource> source_;
  mutable std::shared_ptr<SkippedValue> lastSkipped_;
};

bool HasPart10Magic(const void* data, size_t size) {
  return size >= kPreambleSize + 4 &&
         std::memcmp(static_cast<const char*>(data) + kPreambleSize, "DICM", 4) == 0;
}

[[noreturn]] void ThrowDamaged(const std::string& detail) {
  throw HttpError(400, "damaged_dicom", detail);
}

[[noreturn]] void ThrowNotMeasurable(const std::string& code, const std::string& detail) {
  throw HttpError(422, code, detail);
}

std::optional<double> PositiveDecimal(DcmItem& item, const DcmTagKey& tag, unsigned long index) {
  Float64 value = 0;
  if (item.findAndGetFloat64(tag, value, index).good() && std::isfinite(value) && value > 0) {
    return value;
  }
  return std::nullopt;
}

// Whether the dataset's pixel data was read to its end (and loaded, as a value
// skipped during the parse is "ready" even when cut short). Bytes after it
// (padding or junk left by a sloppy writer) make DCMTK report a read error that
// does not concern the image.
bool PixelDataComplete(DcmDataset& dataset) {
  for (const DcmTagKey& tag : {DCM_PixelData, DCM_FloatPixelData, DCM_DoubleFloatPixelData}) {
    DcmElement* element = nullptr;
    if (dataset.findAndGetElement(tag, element).good() && element != nullptr &&
        element->transferState() == ERW_ready && element->loadAllDataIntoMemory().good()) {
      return true;
    }
  }
  return false;
}

// Drops the elements a read error left unfinished or cut short (junk after
// the pixel data), which the image does not need.
void RemoveUnfinishedElements(DcmDataset& dataset) {
  for (unsigned long i = dataset.card(); i-- > 0;) {
    DcmElement* element = dataset.getElement(i);
    if (element != nullptr && (element->transferState() != ERW_ready ||
                               element->loadAllDataIntoMemory().bad())) {
      delete dataset.remove(element);
    }
  }
}

// Enhanced multi-frame images keep PixelSpacing and SliceThickness in the
// Pixel Measures functional group (shared first, then the first frame's).
DcmItem* PixelMeasures(DcmDataset& dataset) {
  for (const DcmTagKey& groups :
       {DCM_SharedFunctionalGroupsSequence, DCM_PerFrameFunctionalGroupsSequence}) {
    DcmItem* group = nullptr;
    DcmItem* measures = nullptr;
    if (dataset.findAndGetSequenceItem(groups, group, 0).good() && group != nullptr &&
        group->findAndGetSequenceItem(DCM_PixelMeasuresSequence, measures, 0).good() &&
        measures != nullptr) {
      return measures;
    }
  }
  return nullptr;
}

// The first item of `sequence` in the functional group `group` (an item of
// the Per-frame or Shared Functional Groups Sequence); null if absent.
DcmItem* FunctionalGroupItem(DcmItem* group, const DcmTagKey& sequence) {
  DcmItem* item = nullptr;
  if (group == nullptr || group->findAndGetSequenceItem(sequence, item, 0).bad()) return nullptr;
  return item;
}

// A multi-valued decimal string attribute as DICOM writes it, values
// separated by backslashes, for the parsers of SliceOrder.h; empty when absent.
std::string DecimalValues(DcmItem* item, const DcmTagKey& tag) {
  OFString text;
  if (item == nullptr || item->findAndGetOFStringArray(tag, text).bad()) return "";
  return text.c_str();
}

// Where the data set starts in a Part 10 file whose file meta information
// (PS3.10 §7.1) declares Implicit VR Little Endian while the data set is
// written with explicit VRs, as some writers do: a reader that trusts the
// header reads nonsense; pydicom reads the data set as it is, and so do we.
// 0 for any other file.
size_t MislabelledExplicitDataSet(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  if (!HasPart10Magic(data, size)) return 0;
  const auto read16 = [&](size_t at) {
    return static_cast<uint16_t>(bytes[at] | bytes[at + 1] << 8);
  };
  size_t position = 132;
  std::string transferSyntax;
  while (position + 8 <= size && read16(position) == 0x0002) {  // always explicit VR little endian
    const char first = static_cast<char>(bytes[position + 4]);
    const char second = static_cast<char>(bytes[position + 5]);
    size_t header = 8;
    size_t length = read16(position + 6);
    if (HasLongLength(first, second)) {
      if (position + 12 > size) return 0;
      header = 12;
      length = read16(position + 8) | size_t{read16(position + 10)} << 16;
    }
    if (length > size - position - header) return 0;
    if (read16(position + 2) == 0x0010) {
      transferSyntax.assign(reinterpret_cast<const char*>(bytes + position + header), length);
      const size_t end = transferSyntax.find_last_not_of(std::string("\0 ", 2));
      transferSyntax.resize(end == std::string::npos ? 0 : end + 1);
    }
    position += header + length;
  }
  const bool explicitFollows =
      position + 6 <= size && IsValueRepresentation(static_cast<char>(bytes[position + 4]),
                                                    static_cast<char>(bytes[position + 5]));
  return transferSyntax == "1.2.840.10008.1.2" && explicitFollows ? position : 0;
}

}  // namespace

void RegisterDicomDecoders() {
  DJDecoderRegistration::registerCodecs();
  DJLSDecoderRegistration::registerCodecs();
  DcmRLEDecoderRegistration::registerCodecs();
}

void UnregisterDicomDecoders() {
  DcmRLEDecoderRegistration::cleanup();
  DJLSDecoderRegistration::cleanup();
  DJDecoderRegistration::cleanup();
}

DicomPixelReader::DicomPixelReader(const void* data, size_t size)
    : file_(std::make_unique<DcmFileFormat>()) {
  if (data == nullptr || size == 0) {
    throw HttpError(400, "empty_body", "the request carries no file");
  }
  // DCMTK reads (and frees) nested sequences recursively, on the caller's
  // thread: 100 KiB of stack on Orthanc's HTTP threads.
  RequireShallowNesting(std::string_view(static_cast<const char*>(data), size),
                        kMaxDecodedDicomBytes);
  // A data set mislabelled implicit is read as the bare data set it is,
  // whose encoding DCMTK finds from its first element.
  const size_t skipped = MislabelledExplicitDataSet(data, size);
  MemoryInputStream stream(static_cast<const char*>(data) + skipped, size - skipped);
  file_->transferInit();
  const OFCondition status = file_->read(stream, EXS_Unknown, EGL_noChange, kMaxReadLength);
  // Asked before transferEnd(), which resets every element's transfer state.
  const bool pixelDataComplete = PixelDataComplete(*file_->getDataset());
  if (status.bad() && pixelDataComplete) RemoveUnfinishedElements(*file_->getDataset());
  file_->transferEnd();

  // A bare dataset has no magic number: accept it only if it looks like an image header.
  DcmDataset& dataset = *file_->getDataset();
  const bool looksLikeDicom = HasPart10Magic(data, size) || dataset.tagExists(DCM_SOPClassUID) ||
                              dataset.tagExists(DCM_Rows);
  if (!looksLikeDicom) {
    throw HttpError(400, "not_dicom", "the file is not a DICOM file");
  }
  if (status.bad() && !pixelDataComplete) {
    ThrowDamaged(std::string("the DICOM file is truncated or damaged: ") + status.text());
  }
  // The skipped values, while the bytes are still there.
  const OFCondition loaded = file_->loadAllDataIntoMemory();
  if (loaded.bad()) {
    ThrowDamaged(std::string("the DICOM file is truncated or damaged: ") + loaded.text());
  }
  ReadInfo();
}

DicomPixelReader::~DicomPixelReader() = default;

void DicomPixelReader::ReadInfo() {
  DcmDataset& dataset = *file_->getDataset();
  const E_TransferSyntax xfer = dataset.getOriginalXfer();
  const DcmXfer xferInfo(xfer);
  info_.transferSyntaxUid = xferInfo.getXferID();
  bigEndianSource_ = xferInfo.getByteOrder() == EBO_BigEndian;

  Uint16 value = 0;
  if (dataset.findAndGetUint16(DCM_Rows, value).good()) info_.rows = value;
  if (dataset.findAndGetUint16(DCM_Columns, value).good()) info_.columns = value;
  if (dataset.findAndGetUint16(DCM_SamplesPerPixel, value).good()) info_.samplesPerPixel = value;
  if (dataset.findAndGetUint16(DCM_BitsAllocated, value).good()) info_.bitsAllocated = value;
  info_.bitsStored = info_.bitsAllocated;
  if (dataset.findAndGetUint16(DCM_BitsStored, value).good()) info_.bitsStored = value;
  info_.highBit = info_.bitsStored > 0 ? info_.bitsStored - 1 : 0;
  if (dataset.findAndGetUint16(DCM_HighBit, value).good()) info_.highBit = value;
  if (dataset.findAndGetUint16(DCM_PixelRepresentation, value).good()) info_.isSigned = value == 1;
  Sint32 frames = 1;
  if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 0) {
    info_.frames = static_cast<unsigned>(frames);
  }

  OFString text;
  if (dataset.findAndGetOFString(DCM_PhotometricInterpretation, text).good()) {
    info_.photometricInterpretation = text.c_str();
  }
  if (dataset.findAndGetOFString(DCM_SOPInstanceUID, text).good()) {
    info_.sopInstanceUid = text.c_str();
  }

  Float64 number = 0;
  if (dataset.findAndGetFloat64(DCM_RescaleSlope, number).good() && std::isfinite(number) &&
      number != 0) {
    info_.rescaleSlope = number;
  }
  if (dataset.findAndGetFloat64(DCM_RescaleIntercept, number).good() && std::isfinite(number)) {
    info_.rescaleIntercept = number;
  }
  // Multi-valued windows: the first one is the default the modality suggests.
  if (dataset.findAndGetFloat64(DCM_WindowCenter, number, 0).good() && std::isfinite(number)) {
    info_.windowCenter = number;
  }
  info_.windowWidth = PositiveDecimal(dataset, DCM_WindowWidth, 0);

  info_.pixelSpacingRow = PositiveDecimal(dataset, DCM_PixelSpacing, 0);
  info_.pixelSpacingColumn = PositiveDecimal(dataset, DCM_PixelSpacing, 1);
  info_.sliceThickness = PositiveDecimal(dataset, DCM_SliceThickness, 0);
  if (DcmItem* measures = PixelMeasures(dataset)) {
    if (!info_.pixelSpacingRow || !info_.pixelSpacingColumn) {
      info_.pixelSpacingRow = PositiveDecimal(*measures, DCM_PixelSpacing, 0);
      info_.pixelSpacingColumn = PositiveDecimal(*measures, DCM_PixelSpacing, 1);
    }
    if (!info_.sliceThickness) {
      info_.sliceThickness = PositiveDecimal(*measures, DCM_SliceThickness, 0);
    }
  }
}

std::vector<size_t> DicomPixelReader::FrameOrder() const {
  DcmDataset& dataset = *file_->getDataset();
  DcmItem* shared = nullptr;
  dataset.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  const std::string sharedOrientation = DecimalValues(
      FunctionalGroupItem(shared, DCM_PlaneOrientationSequence), DCM_ImageOrientationPatient);
  std::vector<SliceGeometry> frames(info_.frames);
  for (size_t frame = 0; frame < frames.size(); ++frame) {
    frames[frame].id = std::to_string(frame);
    frames[frame].instanceNumber = static_cast<long>(frame) + 1;  // ties: frame order
    DcmItem* group = nullptr;
    if (dataset.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, group,
                                       static_cast<signed long>(frame)).bad()) {
      continue;
    }
    frames[frame].position = ParseVector3(DecimalValues(
        FunctionalGroupItem(group, DCM_PlanePositionSequence), DCM_ImagePositionPatient));
    const std::string orientation = DecimalValues(
        FunctionalGroupItem(group, DCM_PlaneOrientationSequence), DCM_ImageOrientationPatient);
    frames[frame].orientation = ParseVector6(orientation.empty() ? sharedOrientation : orientation);
  }
  return OrderSlices(frames);
}

bool DicomPixelReader::IsColour() const {
  return info_.samplesPerPixel == 3 || info_.photometricInterpretation == "PALETTE COLOR";
}

Image8 DicomPixelReader::ColourFrame(unsigned frame) const {
  DcmDataset& dataset = *file_->getDataset();
  const E_TransferSyntax xfer = dataset.getOriginalXfer();
  if (IsCompressed(DcmXfer(xfer)) &&
      !DcmCodecList::canChangeCoding(xfer, EXS_LittleEndianExplicit)) {
    const DcmXfer xferInfo(xfer);
    throw UnsupportedTransferSyntax(xferInfo.getXferID(), xferInfo.getXferName());
  }
  if (frame >= info_.frames) throw HttpError(400, "damaged_dicom", "no such frame");
  DicomImage image(&dataset, xfer, CIF_UsePartialAccessToPixelData, frame, 1);
  if (image.getStatus() != EIS_Normal || image.isMonochrome()) {
    ThrowDamaged(std::string("the colour image cannot be read: ") +
                 DicomImage::getString(image.getStatus()));
  }
  Image8 picture;
  picture.width = static_cast<unsigned>(image.getWidth());
  picture.height = static_cast<unsigned>(image.getHeight());
  picture.channels = 3;
  picture.pixels.resize(size_t{picture.width} * picture.height * 3);
  // Interleaved RGB (planar 0), 8 bits a sample, the frame's own.
  if (!image.getOutputData(picture.pixels.data(), picture.pixels.size(), 8, 0, 0)) {
    ThrowDamaged("the colour image cannot be converted to RGB");
  }
  return picture;
}

void DicomPixelReader::CheckMeasurable() const {
  DcmDataset& dataset = *file_->getDataset();
  if (!dataset.tagExists(DCM_PixelData) && !dataset.tagExists(DCM_FloatPixelData) &&
      !dataset.tagExists(DCM_DoubleFloatPixelData)) {
    // Image attributes without pixel data: most likely a file cut short.
    ThrowNotMeasurable("no_pixel_data",
                       info_.rows > 0 ? "the DICOM file describes an image but holds no pixel "
                                        "data (truncated or stripped file?)"
                                      : "the DICOM file has no pixel data (it is not an image)");
  }
  if (info_.rows == 0 || info_.columns == 0) {
    ThrowDamaged("the image has no Rows or Columns");
  }
  const std::string& photometric = info_.photometricInterpretation;
  if (info_.samplesPerPixel != 1 ||
      (!photometric.empty() && photometric != "MONOCHROME1" && photometric != "MONOCHROME2")) {
    const std::string model = photometric.empty() ? std::string("colour") : photometric;
    ThrowNotMeasurable("colour_image",
                       "This is a colour image (" + model +
                           "): the thresholded volume is measured on grey-scale images, such as "
                           "CT or MR, so it cannot be measured here. The image itself can be "
                           "viewed.");
  }
}

PixelSamples DicomPixelReader::Samples() {
  CheckMeasurable();
  DcmDataset& dataset = *file_->getDataset();
  if (!dataset.tagExists(DCM_PixelData)) {
    return FloatSamples();
  }

  const E_TransferSyntax xfer = dataset.getOriginalXfer();
  const DcmXfer xferInfo(xfer);
  if (IsCompressed(xferInfo)) {
    if (!DcmCodecList::canChangeCoding(xfer, EXS_LittleEndianExplicit)) {
      throw UnsupportedTransferSyntax(xferInfo.getXferID(), xferInfo.getXferName());
    }
    // What the codec will allocate, from the header, before it does.
    uint64_t decoded = 0;
    const bool overflows = __builtin_mul_overflow(
        uint64_t{info_.rows} * info_.columns * info_.frames,
        uint64_t{std::max(1u, unsigned{info_.bitsAllocated} / 8)}, &decoded);
    if (overflows || decoded > kMaxDecodedDicomBytes) {
      throw HttpError(413, "decoded_too_large",
                      "the compressed pixel data decodes to " + std::to_string(decoded >> 20) +
                          " MiB, more than " + std::to_string(kMaxDecodedDicomBytes >> 20) +
                          " MiB",
                      {{"limit_bytes", uint64_t{kMaxDecodedDicomBytes}}});
    }
    const OFCondition status = dataset.chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (status.bad() || !dataset.canWriteXfer(EXS_LittleEndianExplicit)) {
      ThrowDamaged(std::string("the compressed pixel data cannot be decoded: ") + status.text());
    }
  }
  return NativeSamples();
}

PixelSamples DicomPixelReader::NativeSamples() {
  DcmDataset& dataset = *file_->getDataset();
  DcmElement* element = nullptr;
  if (dataset.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
    ThrowNotMeasurable("no_pixel_data", "the DICOM file has no pixel data");
  }
  const unsigned bits = info_.bitsAllocated;
  if (bits != 1 && bits != 8 && bits != 16 && bits != 32) {
    ThrowNotMeasurable("unsupported_pixel_format",
                       "BitsAllocated " + std::to_string(bits) + " is not supported");
  }
  if (info_.bitsStored == 0 || info_.bitsStored > bits || info_.highBit >= bits ||
      info_.highBit + 1 < info_.bitsStored) {
    ThrowDamaged("inconsistent BitsStored/HighBit for BitsAllocated " + std::to_string(bits));
  }

  // 16 + 16 + 31 bits: the pixel count fits in 64 bits, its byte count may not.
  const uint64_t pixels = uint64_t{info_.rows} * info_.columns * info_.frames;
  uint64_t expectedBytes = (pixels + 7) / 8;
  if (bits != 1 && __builtin_mul_overflow(pixels, uint64_t{bits / 8}, &expectedBytes)) {
    ThrowDamaged("Rows x Columns x NumberOfFrames is too large");
  }

  // OW data is brought to host byte order by asking for 16-bit words; OB data is
  // bytes already. Pixel Data written as UN (PS3.5 §6.2.2; some older
  // workstations do) is the value's bytes in the transfer syntax's order,
  // which DCMTK keeps as they came: the words of a big endian value are
  // swapped here as DCMTK swaps those of OW.
  const uint8_t* bytes = nullptr;
  const DcmEVR vr = element->getTag().getEVR();
  if (vr == EVR_OB || vr == EVR_UN) {
    Uint8* raw = nullptr;
    if (element->getUint8Array(raw).bad()) ThrowDamaged("unreadable pixel data");
    if (vr == EVR_UN && bigEndianSource_ && bits >= 16 && !unknownVrWordsSwapped_ &&
        raw != nullptr) {
      for (size_t i = 0; i + 1 < element->getLength(); i += 2) std::swap(raw[i], raw[i + 1]);
      unknownVrWordsSwapped_ = true;
    }
    bytes = raw;
  } else {
    Uint16* words = nullptr;
    if (element->getUint16Array(words).bad()) ThrowDamaged("unreadable pixel data");
    bytes = reinterpret_cast<const uint8_t*>(words);
  }
  const uint64_t actualBytes = element->getLength();
  if (bytes == nullptr || actualBytes < expectedBytes) {
    ThrowDamaged("the pixel data has " + std::to_string(actualBytes) + " bytes where Rows x " +
                 "Columns x NumberOfFrames x BitsAllocated needs " +
                 std::to_string(expectedBytes));
  }

  PixelSamples samples;
  samples.count = static_cast<size_t>(pixels);
  samples.bitsStored = info_.bitsStored;
  samples.highBit = info_.highBit;
  switch (bits) {
    case 1:
      unpackedBits_.resize(samples.count);
      for (size_t i = 0; i < samples.count; ++i) {
        unpackedBits_[i] = (bytes[i / 8] >> (i % 8)) & 1;  // DICOM packs bits LSB first
      }
      samples.type = SampleType::kUint8;
      samples.data = unpackedBits_.data();
      samples.bitsStored = 8;
      samples.highBit = 7;
      break;
    case 8:
      samples.type = info_.isSigned ? SampleType::kInt8 : SampleType::kUint8;
      samples.data = bytes;
      break;
    case 16:
      samples.type = info_.isSigned ? SampleType::kInt16 : SampleType::kUint16;
      samples.data = bytes;
      break;
    case 32:
      if (bigEndianSource_ && !wordsSwapped_) {
        // DCMTK swapped each 16-bit word of the big endian value: swap the halves back.
        auto* values = reinterpret_cast<uint32_t*>(const_cast<uint8_t*>(bytes));
        for (size_t i = 0; i < samples.count; ++i) {
          values[i] = (values[i] << 16) | (values[i] >> 16);
        }
        wordsSwapped_ = true;
      }
      samples.type = info_.isSigned ? SampleType::kInt32 : SampleType::kUint32;
      samples.data = bytes;
      break;
  }
  return samples;
}

PixelSamples DicomPixelReader::FloatSamples() {
  DcmDataset& dataset = *file_->getDataset();
  const uint64_t pixels = uint64_t{info_.rows} * info_.columns * info_.frames;
  PixelSamples samples;
  samples.count = static_cast<size_t>(pixels);
  unsigned long count = 0;
  if (dataset.tagExists(DCM_FloatPixelData)) {
    const Float32* values = nullptr;
    dataset.findAndGetFloat32Array(DCM_FloatPixelData, values, &count);
    samples.type = SampleType::kFloat32;
    samples.data = values;
  } else {
    const Float64* values = nullptr;
    dataset.findAndGetFloat64Array(DCM_DoubleFloatPixelData, values, &count);
    samples.type = SampleType::kFloat64;
    samples.data = values;
  }
  if (samples.data == nullptr || count < pixels) {
    ThrowDamaged("the float pixel data has " + std::to_string(count) + " values where " +
                 std::to_string(pixels) + " are needed");
  }
  return samples;
}

PixelSamples AsTheDataSetSays(PixelSamples decoded, const DicomImageInfo& info) {
  SampleType unsignedType;
  SampleType signedType;
  switch (decoded.type) {
    case SampleType::kUint8: case SampleType::kInt8:
      unsignedType = SampleType::kUint8;
      signedType = SampleType::kInt8;
      break;
    case SampleType::kUint16: case SampleType::kInt16:
      unsignedType = SampleType::kUint16;
      signedType = SampleType::kInt16;
      break;
    case SampleType::kUint32: case SampleType::kInt32:
      unsignedType = SampleType::kUint32;
      signedType = SampleType::kInt32;
      break;
    default:
      return decoded;  // floating point: no bits to interpret
  }
  if (info.bitsStored == 0 || info.bitsStored > SampleSize(decoded.type) * 8) return decoded;
  decoded.type = info.isSigned ? signedType : unsignedType;
  decoded.bitsStored = info.bitsStored;
  decoded.highBit = info.bitsStored - 1;
  return decoded;
}

}  // namespace mis
