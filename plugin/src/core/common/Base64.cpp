#include "Base64.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace mis {
namespace {

// sodium_init is idempotent and thread-safe; base64 works without it, but a
// library call before it is undefined by libsodium's documentation.
void InitializeSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialized");
}

std::string Encode(const unsigned char* bytes, size_t size, int variant) {
  InitializeSodium();
  std::string text(sodium_base64_ENCODED_LEN(size, variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, variant);
  text.resize(text.find('\0'));
  return text;
}

}  // namespace

std::string EncodeBase64(std::string_view bytes) {
  return Encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                sodium_base64_VARIANT_ORIGINAL);
}

std::string EncodeBase64Url(const unsigned char* bytes, size_t size) {
  return Encode(bytes, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool DecodeBase64(std::string_view text, std::string& decoded) {
  InitializeSodium();
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
