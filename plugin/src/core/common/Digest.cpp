#include "Digest.h"

#include <sodium.h>

#include <stdexcept>

namespace mis {

std::string Blake2bHex(std::string_view bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialized");
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return hex;
}

}  // namespace mis
