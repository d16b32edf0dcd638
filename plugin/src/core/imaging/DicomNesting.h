#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mis {

// How deep DICOM files may nest sequences (SQ in SQ ..., PS3.5 §7.5). DCMTK,
// Orthanc's DICOM-to-JSON and our own readers recurse once a level, on HTTP
// threads of 100 KiB of stack: a file of 2.4 KB with 50 levels ended the
// server. Real objects nest far less: a structured report's content tree
// (PS3.3 §C.17.3) a dozen levels at most.
constexpr unsigned kMaxSequenceDepth = 24;

// How large a file may grow once decoded, in memory: a deflated data set
// (PS3.5 §A.5) inflated, or compressed pixel data (JPEG, JPEG-LS, RLE,
// PS3.5 §A.4) decoded (Rows x Columns x NumberOfFrames x BitsAllocated).
// What an uncompressed upload may be by default (MaxUploadMegabytes 512).
// DCMTK decodes the whole of either into memory, and 1 MB of zeros
// compresses to about 1 KB.
constexpr size_t kMaxDecodedDicomBytes = size_t{512} << 20;

// What ScanSequenceNesting found.
struct SequenceNesting {
  // The deepest nesting of sequences, 1 for a sequence in the top-level data
  // set; kMaxSequenceDepth + 1 as soon as that is passed (the scan stops).
  unsigned depth = 0;
  // A Deflated Explicit VR Little Endian data set (PS3.5 §A.5) that inflates
  // to more than the scan's `maxInflatedBytes`: not scanned further.
  bool inflatesTooLarge = false;
  // Encapsulated (compressed) pixel data (PS3.5 §A.4): the bytes one frame
  // decodes to, Rows x Columns x SamplesPerPixel x BitsAllocated / 8 rounded
  // up to whole bytes per sample (PS3.3 §C.7.6.3), from the top-level data
  // set's attributes, which the decoders check the compressed stream
  // against. 0 when the pixel data is not encapsulated or an attribute is
  // missing.
  uint64_t encapsulatedFrameBytes = 0;
};

// The nesting of sequences in a DICOM file (PS3.10 §7: preamble, "DICM",
// file meta information) or a bare data set, found without recursion and
// without a data dictionary, in one pass over the bytes: Explicit VR (little
// or big endian) and Implicit VR Little Endian element encodings, defined
// and undefined lengths, items and delimiters (PS3.5 §7.1, §7.5), UN values
// of undefined length read as Implicit VR sequences (PS3.5 §6.2.2), the
// fragments of encapsulated pixel data skipped (PS3.5 §A.4), and a deflated
// data set inflated (zlib) up to `maxInflatedBytes`.
//
// Never less than the depth a parser reaches: where the encoding leaves it
// open (Implicit VR without a dictionary, a defined-length value of another
// VR), a value that starts with an Item tag counts as a sequence; the scan
// ends where a parser would stop (a length past the end). It may count more
// than a parser, never fewer.
SequenceNesting ScanSequenceNesting(std::string_view file, size_t maxInflatedBytes);

// Throws HttpError 400 "dicom_too_deep" when `file` nests sequences deeper
// than kMaxSequenceDepth, and 413 "decoded_too_large" when its deflated data
// set inflates to more than `maxInflatedBytes` or one frame of its
// compressed pixel data decodes to more (Orthanc decodes a frame at a time
// for its previews and frames; our routes bound the whole image again before
// decoding, DicomPixelReader), before any parser sees it.
void RequireShallowNesting(std::string_view file, size_t maxInflatedBytes);

// RequireShallowNesting for each DICOM file of an upload with Content-Type
// `contentType`: every part of a multipart/related body (STOW-RS, PS3.18
// §10.5), or the body itself. A ZIP archive (POST /instances takes one) is
// not looked into: Orthanc checks each of its files as it stores it
// (ReceivedInstanceCheck). Returns how many files it checked; throws
// HttpError 400 "malformed_multipart" for a multipart body it cannot split.
size_t RequireShallowUpload(std::string_view body, std::string_view contentType,
                            size_t maxInflatedBytes);

}  // namespace mis
