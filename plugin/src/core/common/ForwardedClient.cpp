#include "ForwardedClient.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <optional>
#include <stdexcept>

#include "AsciiText.h"

namespace mis {
namespace {

struct Address {
  int family;
  std::array<uint8_t, 16> bytes{};
  unsigned bits;  // 32 or 128
};

// inet_pton accepts only the standard forms (no "127.1", no leading zeros
// tricks in IPv4), which is what a proxy writes.
std::optional<Address> ParseAddress(std::string_view text) {
  const std::string copy(text);
  Address address{};
  if (inet_pton(AF_INET, copy.c_str(), address.bytes.data()) == 1) {
    address.family = AF_INET;
    address.bits = 32;
    return address;
  }
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) == 1) {
    address.family = AF_INET6;
    address.bits = 128;
    return address;
  }
  return std::nullopt;
}

bool SamePrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                unsigned bits) {
  for (unsigned i = 0; i < bits / 8; ++i) {
    if (a[i] != b[i]) return false;
  }
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a[bits / 8] & mask) == (b[bits / 8] & mask);
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    const size_t slash = entry.find('/');
    const std::optional<Address> address = ParseAddress(std::string_view(entry).substr(0, slash));
    if (!address) throw std::invalid_argument("\"" + entry + "\" is not an IP address");
    unsigned bits = address->bits;
    if (slash != std::string::npos) {
      const std::string length = entry.substr(slash + 1);
      if (length.empty() || length.size() > 3 ||
          length.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(length) > address->bits) {
        throw std::invalid_argument("\"" + entry + "\" has no valid prefix length");
      }
      bits = static_cast<unsigned>(std::stoul(length));
    }
    prefixes_.push_back(Prefix{address->family, address->bytes, bits});
  }
}

bool TrustedProxies::Contains(std::string_view text) const {
  const std::optional<Address> address = ParseAddress(text);
  if (!address) return false;
  for (const Prefix& prefix : prefixes_) {
    if (prefix.family == address->family && SamePrefix(prefix.bytes, address->bytes, prefix.bits)) {
      return true;
    }
  }
  return false;
}

ClientConnection IdentifyClient(std::string_view peer, std::string_view forwardedFor,
                                std::string_view forwardedProto, const TrustedProxies& proxies) {
  ClientConnection client{std::string(peer), false};
  if (!proxies.Contains(peer)) return client;
  const size_t comma = forwardedFor.rfind(',');
  const std::string_view last =
      TrimHttpWhitespace(comma == std::string_view::npos ? forwardedFor : forwardedFor.substr(comma + 1));
  if (ParseAddress(last)) client.address = std::string(last);
  client.overHttps = ToLowerAscii(TrimHttpWhitespace(forwardedProto)) == "https";
  return client;
}

}  // namespace mis
