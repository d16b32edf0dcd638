// Trimming, case folding and prefixes of ASCII protocol text.
#include <gtest/gtest.h>

#include "AsciiText.h"

namespace mis {
namespace {

TEST(AsciiText, HttpWhitespaceIsSpacesAndTabsOnly) {
  EXPECT_EQ(TrimHttpWhitespace(" \tBearer x\t "), "Bearer x");
  EXPECT_EQ(TrimHttpWhitespace(" \t "), "");
  EXPECT_EQ(TrimHttpWhitespace(""), "");
  EXPECT_EQ(TrimHttpWhitespace("\rx\n"), "\rx\n") << "CR and LF are not OWS";
}

TEST(AsciiText, DicomPaddingIsSpacesOnly) {
  EXPECT_EQ(TrimDicomPadding(" 1.5 "), "1.5");
  EXPECT_EQ(TrimDicomPadding("Doe "), "Doe");
  EXPECT_EQ(TrimDicomPadding("    "), "");
  EXPECT_EQ(TrimDicomPadding("\t1\t"), "\t1\t");
}

TEST(AsciiText, LowerCaseChangesOnlyAsciiLetters) {
  EXPECT_EQ(ToLowerAscii("Content-Disposition"), "content-disposition");
  // "É" in UTF-8 (0xC3 0x89) stays as it is.
  EXPECT_EQ(ToLowerAscii("\xC3\x89Z@["), "\xC3\x89z@[");
  EXPECT_EQ(ToUpperAscii("delete"), "DELETE");
  EXPECT_EQ(ToUpperAscii("\xC3\xA9z`{"), "\xC3\xA9Z`{");
}

TEST(AsciiText, Prefixes) {
  EXPECT_TRUE(StartsWith("/dicom-web/studies", "/dicom-web/"));
  EXPECT_FALSE(StartsWith("/dicom", "/dicom-web/"));
  EXPECT_FALSE(StartsWith("/DICOM-WEB/studies", "/dicom-web/"));
  EXPECT_TRUE(StartsWithIgnoringCase("BEARER abc", "bearer "));
  EXPECT_TRUE(StartsWithIgnoringCase("basic abc", "Basic "));
  EXPECT_FALSE(StartsWithIgnoringCase("Bearer", "bearer "));
  EXPECT_TRUE(StartsWith("anything", ""));
}

}  // namespace
}  // namespace mis
