#include "Secrets.h"

#include <sodium.h>

#include <stdexcept>

#include "Base64.h"
#include "Digest.h"

namespace mis {

void InitializeSecrets() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialized");
}

std::string HashPassword(std::string_view password) {
  InitializeSecrets();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return hash;
}

bool VerifyPassword(const std::string& storedHash, std::string_view password) {
  InitializeSecrets();
  if (storedHash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(storedHash.c_str(), password.data(), password.size()) == 0;
}

const std::string& DecoyPasswordHash() {
  static const std::string decoy = HashPassword(NewRandomPassword());
  return decoy;
}

std::string NewSecretToken() {
  InitializeSecrets();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  std::string token = EncodeBase64Url(bytes, sizeof(bytes));
  sodium_memzero(bytes, sizeof(bytes));
  return token;
}

std::string TokenDigest(std::string_view token) { return Blake2bHex(token); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewRandomPassword() {
  InitializeSecrets();
  unsigned char bytes[18];
  randombytes_buf(bytes, sizeof(bytes));
  return EncodeBase64Url(bytes, sizeof(bytes));
}

}  // namespace mis
