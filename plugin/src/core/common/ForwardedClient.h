#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mis {

// The proxies (the HTTP front) whose X-Forwarded-For and X-Forwarded-Proto
// headers are believed: "MedicalImageServer.TrustedProxies", IP addresses
// ("127.0.0.1", "::1") or prefixes in CIDR notation ("172.16.0.0/12",
// "fd00::/8"; RFC 4632, RFC 4291 §2.3). Empty: no proxy is trusted, and the
// client is always the TCP peer.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Throws std::invalid_argument naming the entry that is neither an address
  // nor a prefix.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool Contains(std::string_view address) const;

 private:
  struct Prefix {
    int family;  // AF_INET or AF_INET6
    std::array<uint8_t, 16> bytes;
    unsigned bits;
  };
  std::vector<Prefix> prefixes_;
};

// Who is at the other end of a request.
struct ClientConnection {
  std::string address;     // as the login limiter and the audit trail record it
  bool overHttps = false;  // the client reached the front over TLS
};

// The client of a request that `peer` (the TCP peer's address, as Orthanc
// gives it) delivered. From a trusted proxy: the last X-Forwarded-For entry
// (the one the proxy itself added; earlier ones are what the client claimed)
// when it is an IP address, and X-Forwarded-Proto "https". From anyone else,
// or when the header is absent or not an address: the peer, not over HTTPS
// (the plugin sees plain HTTP).
ClientConnection IdentifyClient(std::string_view peer, std::string_view forwardedFor,
                                std::string_view forwardedProto, const TrustedProxies& proxies);

}  // namespace mis
