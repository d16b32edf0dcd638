// Base64 (RFC 4648), against the RFC's own test vectors.
#include <gtest/gtest.h>

#include <string>

#include "Base64.h"

namespace mis {
namespace {

TEST(Base64, EncodesTheTestVectorsOfRfc4648) {
  // RFC 4648 §10.
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("foob"), "Zm9vYg==");
  EXPECT_EQ(EncodeBase64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesBasicCredentials) {
  std::string decoded;
  // RFC 7617's example credentials.
  ASSERT_TRUE(DecodeBase64("QWxhZGRpbjpvcGVuIHNlc2FtZQ==", decoded));
  EXPECT_EQ(decoded, "Aladdin:open sesame");
  EXPECT_FALSE(DecodeBase64("***", decoded));
  EXPECT_EQ(decoded, "Aladdin:open sesame") << "a failed decode leaves the output alone";
}

TEST(Base64, UrlSafeVariantHasNoPaddingNorPlusOrSlash) {
  // 0xfb 0xff 0xfe is "+//+" in the standard alphabet (RFC 4648 §5).
  const unsigned char bytes[] = {0xfb, 0xff, 0xfe};
  EXPECT_EQ(EncodeBase64Url(bytes, sizeof(bytes)), "-__-");
  EXPECT_EQ(EncodeBase64Url(bytes, 1), "-w");
}

}  // namespace
}  // namespace mis
