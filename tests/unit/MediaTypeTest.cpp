// Reading Content-Type headers (RFC 9110 §8.3).
#include <gtest/gtest.h>

#include <string>

#include "MediaType.h"

namespace mis {
namespace {

TEST(MediaType, LowerCaseWithoutParameters) {
  EXPECT_EQ(MediaType("multipart/form-data; boundary=x"), "multipart/form-data");
  EXPECT_EQ(MediaType("Application/DICOM"), "application/dicom");
  EXPECT_EQ(MediaType("  text/plain ;charset=utf-8"), "text/plain");
  EXPECT_EQ(MediaType(""), "");
}

TEST(MediaType, HeaderParameter) {
  EXPECT_EQ(HeaderParameter("multipart/form-data; boundary=abc", "boundary"), "abc");
  EXPECT_EQ(HeaderParameter("multipart/form-data; Boundary=abc", "BOUNDARY"), "abc");
  EXPECT_EQ(HeaderParameter("multipart/form-data; boundary=\"a;b\"", "boundary"), "a;b");
  EXPECT_EQ(HeaderParameter("multipart/form-data", "boundary"), "");
  EXPECT_EQ(HeaderParameter("multipart/form-data; charset=utf-8", "boundary"), "");
  // "name" is not "filename", whichever comes first; quoted ';' do not split.
  const std::string disposition = "form-data; filename=\"x;y.dcm\"; name=\"file\"";
  EXPECT_EQ(HeaderParameter(disposition, "name"), "file");
  EXPECT_EQ(HeaderParameter(disposition, "filename"), "x;y.dcm");
}

TEST(MediaType, HeaderParameterAfterOthersWithTrailingSpace) {
  EXPECT_EQ(HeaderParameter("multipart/form-data;charset=utf-8;boundary=abc ", "boundary"), "abc");
  EXPECT_EQ(HeaderParameter("form-data;name=\"file\";filename=\"x.dcm\" ", "filename"), "x.dcm");
}

}  // namespace
}  // namespace mis
