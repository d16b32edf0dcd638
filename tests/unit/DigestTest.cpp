// BLAKE2b-256, against digests computed with Python's hashlib.blake2b
// (digest_size=32).
#include <gtest/gtest.h>

#include "Digest.h"

namespace mis {
namespace {

TEST(Digest, Blake2b256InHex) {
  EXPECT_EQ(Blake2bHex(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(Blake2bHex("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

}  // namespace
}  // namespace mis
