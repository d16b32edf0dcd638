#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Image8.h"
#include "PixelSamples.h"

class DcmFileFormat;
class DcmItem;

namespace mis {

// What the volume computation needs to know about an image, read from its header.
struct DicomImageInfo {
  unsigned rows = 0;
  unsigned columns = 0;
  unsigned frames = 1;
  unsigned samplesPerPixel = 1;
  unsigned bitsAllocated = 0;
  unsigned bitsStored = 0;
  unsigned highBit = 0;
  bool isSigned = false;
  std::string photometricInterpretation;
  std::string sopInstanceUid;
  std::string transferSyntaxUid;
  // Physical size of a voxel; empty when the file lacks (or has an unusable) value.
  std::optional<double> pixelSpacingRow;
  std::optional<double> pixelSpacingColumn;
  std::optional<double> sliceThickness;
  // Display: Modality LUT and the first VOI window of the file, if any.
  double rescaleSlope = 1;
  double rescaleIntercept = 0;
  std::optional<double> windowCenter;
  std::optional<double> windowWidth;
};

// Registers DCMTK's JPEG, JPEG-LS and RLE decoders; call once per process.
void RegisterDicomDecoders();
void UnregisterDicomDecoders();

// Parses a DICOM file (Part 10 with preamble, or a bare dataset) held in memory
// and gives a view on its decoded monochrome pixel samples. The bytes are read
// once; the samples stay valid for the reader's lifetime. Errors are HttpErrors:
// 400 for bytes that are not DICOM or are damaged, 422 for images that cannot be
// measured (no pixel data, colour, unsupported transfer syntax).
class DicomPixelReader {
 public:
  DicomPixelReader(const void* data, size_t size);
  ~DicomPixelReader();
  DicomPixelReader(const DicomPixelReader&) = delete;
  DicomPixelReader& operator=(const DicomPixelReader&) = delete;

  const DicomImageInfo& Info() const { return info_; }

  // Decodes the pixel data if it is compressed. Throws UnsupportedTransferSyntax
  // when DCMTK has no decoder, so that a caller may try another decoder.
  PixelSamples Samples();

  // Whether the image is in colour: three samples a pixel (RGB, YBR_FULL,
  // YBR_FULL_422, ...) or a palette (PALETTE COLOR), PS3.3 §C.7.6.3.1.2.
  bool IsColour() const;

  // Frame `frame` (0-based) of a colour image as 8-bit RGB, converted by
  // DCMTK's dcmimage: every colour model, planar configuration and palette,
  // through the JPEG, JPEG-LS and RLE decoders. Throws
  // UnsupportedTransferSyntax when DCMTK cannot decode it, so that a caller
  // may try another decoder, and HttpError 400 for damaged pixel data.
  Image8 ColourFrame(unsigned frame) const;

  // The frames' indices (0-based) in slice order: along the normal of the
  // image plane, as OrderSlices orders the instances of a series, from each
  // frame's ImagePositionPatient (PlanePositionSequence of its Per-frame
  // Functional Groups, PS3.3 §C.7.6.16.2.3) and ImageOrientationPatient
  // (PlaneOrientationSequence, per frame or shared). Frame number order
  // when a frame lacks either, as for a single-frame image.
  std::vector<size_t> FrameOrder() const;

 private:
  void ReadInfo();
  void CheckMeasurable() const;
  PixelSamples NativeSamples();
  PixelSamples FloatSamples();

  std::unique_ptr<DcmFileFormat> file_;
  DicomImageInfo info_;
  bool bigEndianSource_ = false;
  bool wordsSwapped_ = false;
  bool unknownVrWordsSwapped_ = false;  // Pixel Data as UN, big endian: made host order once
  std::vector<uint8_t> unpackedBits_;  // 1-bit images, one byte per pixel
};

// Integer samples that a decoder outside DCMTK produced (Orthanc's: GDCM for
// JPEG 2000), read as the data set says: its PixelRepresentation gives the
// sign and its BitsStored the significant bits, which the statistics and
// the rendering mask and sign-extend (PS3.5 §8.1.1). A JPEG 2000 codestream
// may disagree (unsigned in a data set of signed samples, PS3.5 §A.4.4):
// the data set governs, as on every DCMTK path. Decoded values start at bit
// 0, whatever HighBit says. Floating-point samples, and a BitsStored of 0 or
// wider than the samples, leave `decoded` as it is.
PixelSamples AsTheDataSetSays(PixelSamples decoded, const DicomImageInfo& info);

}  // namespace mis
