#pragma once

#include <string>
#include <string_view>

namespace mis {

// Base64 as RFC 4648 §4 defines it (standard alphabet, with padding), by
// libsodium.

// Encodes bytes: data URIs (RFC 2397) of the volume route's preview.
std::string EncodeBase64(std::string_view bytes);

// Decodes `text` into `decoded`; false, with `decoded` untouched, when `text`
// is not base64 (HTTP Basic credentials, RFC 7617).
bool DecodeBase64(std::string_view text, std::string& decoded);

// URL-safe base64 (RFC 4648 §5) without padding: tokens and generated
// passwords, which travel in headers and URLs.
std::string EncodeBase64Url(const unsigned char* bytes, size_t size);

}  // namespace mis
