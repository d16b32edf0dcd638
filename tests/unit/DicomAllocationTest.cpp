// What the DICOM reader lets DCMTK allocate for a file that lies about its
// lengths. DCMTK allocates element values with `new (std::nothrow) Uint8[]`:
// this file replaces that operator for the whole test program to record the
// largest request (the replacement only forwards to malloc).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "HttpError.h"
#include "TestFiles.h"
#include "VolumeAnswer.h"

namespace {
std::atomic<size_t> largestNothrowArray{0};
}  // namespace

void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  size_t largest = largestNothrowArray.load();
  while (size > largest && !largestNothrowArray.compare_exchange_weak(largest, size)) {
  }
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept { std::free(pointer); }

namespace mis {
namespace {

TEST(DicomAllocation, PixelDataLongerThanTheFileIsNeverAllocated) {
  // MR_small.dcm with its pixel data declaring 3.75 GiB, and 100 bytes of it.
  const std::string file = test::ReadFile(test::DataPath("corpus/MR_small.dcm"));
  const std::string pixelDataTag("\xe0\x7f\x10\x00OW\0\0", 8);
  const size_t tag = file.rfind(pixelDataTag);
  ASSERT_NE(tag, std::string::npos);
  std::string lying = file.substr(0, tag + 12 + 100);
  const uint32_t length = 0xF0000000;
  std::memcpy(&lying[tag + 8], &length, 4);  // little endian, as the file

  largestNothrowArray = 0;
  try {
    MeasureDicomFile(lying.data(), lying.size(), 0.5);
    ADD_FAILURE() << "no HttpError thrown";
  } catch (const HttpError& error) {
    EXPECT_EQ(error.Status(), 400);
    EXPECT_EQ(error.Code(), "damaged_dicom");
  }
  EXPECT_LE(largestNothrowArray.load(), lying.size());
}

TEST(DicomAllocation, FuzzingRegressionsAllocateLittle) {
  // Each of these declared a value of gigabytes (one in a deflated dataset).
  for (const char* name : {"pixel-data-length-4gb.dcm", "element-length-larger-than-file.dcm",
                           "deflated-element-length-3gb.dcm"}) {
    const std::string file = test::ReadFile(test::DataPath("regressions/volume/") + name);
    largestNothrowArray = 0;
    try {
      MeasureDicomFile(file.data(), file.size(), 0.5);  // some are images with junk after them
    } catch (const HttpError&) {
    }
    EXPECT_LE(largestNothrowArray.load(), size_t{1} << 20) << name;
  }
}

TEST(DicomAllocation, SkippedValuesAreStillLoaded) {
  // The values skipped during the parse are still loaded: the pixel data is there.
  const std::string file = test::ReadFile(test::DataPath("corpus/MR_small.dcm"));
  largestNothrowArray = 0;
  const VolumeAnswer answer = MeasureDicomFile(file.data(), file.size(), 0.5);
  EXPECT_EQ(answer.count.above, 542u);
  EXPECT_LE(largestNothrowArray.load(), file.size());
  // Also from a deflated dataset, where offsets count inflated bytes.
  const std::string deflated = test::ReadFile(test::DataPath("pydicom/image_dfl.dcm"));
  EXPECT_GT(MeasureDicomFile(deflated.data(), deflated.size(), 0.5).count.above, 0u);
}

}  // namespace
}  // namespace mis
