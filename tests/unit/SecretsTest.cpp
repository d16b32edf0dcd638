// Password hashing and tokens (libsodium).
#include <gtest/gtest.h>

#include <set>

#include "Secrets.h"

namespace mis {
namespace {

TEST(Secrets, PasswordHashIsArgon2idAndVerifies) {
  const std::string hash = HashPassword("correct horse");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horsE"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
}

TEST(Secrets, SamePasswordHashesDifferently) {
  // A random salt per hash: equal passwords must not be visible in the database.
  EXPECT_NE(HashPassword("same"), HashPassword("same"));
}

TEST(Secrets, GarbageHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(VerifyPassword(std::string(500, 'a'), "x"));
  EXPECT_FALSE(VerifyPassword("", ""));
}

TEST(Secrets, DecoyHashRejectsEverything) {
  EXPECT_FALSE(VerifyPassword(DecoyPasswordHash(), ""));
  EXPECT_FALSE(VerifyPassword(DecoyPasswordHash(), "admin"));
}

TEST(Secrets, TokensAre256RandomBitsUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = NewSecretToken();
    EXPECT_EQ(token.size(), 43u);  // 32 bytes in base64 without padding
    EXPECT_EQ(token.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Secrets, TokenDigestIsStableHexAndHidesTheToken) {
  const std::string digest = TokenDigest("abc");
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(digest, TokenDigest("abc"));
  EXPECT_NE(digest, TokenDigest("abd"));
  // Independent reference: python3 -c "import hashlib;
  //   print(hashlib.blake2b(b'abc', digest_size=32).hexdigest())"
  EXPECT_EQ(digest, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(Secrets, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
}

TEST(Secrets, RandomPasswordsDiffer) {
  const std::string a = NewRandomPassword();
  EXPECT_EQ(a.size(), 24u);
  EXPECT_NE(a, NewRandomPassword());
}

}  // namespace
}  // namespace mis
