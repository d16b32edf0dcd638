#include "Secrets.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace mis {
namespace {

std::string ToBase64Url(const unsigned char* bytes, size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.find('\0'));
  return text;
}

}  // namespace

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
  std::string token = ToBase64Url(bytes, sizeof(bytes));
  sodium_memzero(bytes, sizeof(bytes));
  return token;
}

std::string TokenDigest(std::string_view token) {
  InitializeSecrets();
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewRandomPassword() {
  InitializeSecrets();
  unsigned char bytes[18];
  randombytes_buf(bytes, sizeof(bytes));
  return ToBase64Url(bytes, sizeof(bytes));
}

std::string EncodeBase64(std::string_view bytes) {
  InitializeSecrets();
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

bool DecodeBase64(std::string_view text, std::string& decoded) {
  InitializeSecrets();
  std::vector<unsigned char> buffer(text.size() / 4 * 3 + 3);
  size_t length = 0;
  if (sodium_base642bin(buffer.data(), buffer.size(), text.data(), text.size(), nullptr, &length,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  decoded.assign(reinterpret_cast<const char*>(buffer.data()), length);
  return true;
}

}  // namespace mis
