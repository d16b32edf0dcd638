#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mis {

// Pieces of a request target (RFC 3986 §3): "/path?query".

// Decodes the %XX escapes of `text` (RFC 3986 §2.1). nullopt on a malformed
// escape or an escaped NUL, which no path or argument we serve may hold.
std::optional<std::string> PercentDecode(std::string_view text);

// The path of a request target, without its query, not decoded.
std::string_view PathOf(std::string_view target);

// The decoded value of the first query argument called `name` (as in
// application/x-www-form-urlencoded: '+' is a space), or "" when the target
// has no such argument or its value does not decode.
std::string QueryArgument(std::string_view target, std::string_view name);

}  // namespace mis
