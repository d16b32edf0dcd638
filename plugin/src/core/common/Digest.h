#pragma once

#include <string>
#include <string_view>

namespace mis {

// BLAKE2b-256 (RFC 7693) of `bytes`, as 64 lower-case hex digits, by
// libsodium. A fast hash: for identifying content and high-entropy secrets,
// never for passwords (see Secrets.h).
std::string Blake2bHex(std::string_view bytes);

}  // namespace mis
