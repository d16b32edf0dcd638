// Who the client is behind the HTTP front: X-Forwarded-For and
// X-Forwarded-Proto believed from trusted proxies only.
#include <gtest/gtest.h>

#include <stdexcept>

#include "ForwardedClient.h"

namespace mis {
namespace {

const TrustedProxies kFront({"127.0.0.1", "::1", "172.16.0.0/12", "fd00::/8"});

TEST(TrustedProxies, AddressesAndPrefixes) {
  EXPECT_TRUE(kFront.Contains("127.0.0.1"));
  EXPECT_FALSE(kFront.Contains("127.0.0.2"));
  EXPECT_TRUE(kFront.Contains("::1"));
  // 172.16.0.0/12 is 172.16.0.0 to 172.31.255.255.
  EXPECT_TRUE(kFront.Contains("172.16.0.1"));
  EXPECT_TRUE(kFront.Contains("172.31.255.255"));
  EXPECT_FALSE(kFront.Contains("172.32.0.0"));
  EXPECT_FALSE(kFront.Contains("172.15.255.255"));
  EXPECT_TRUE(kFront.Contains("fd12:3456::1"));
  EXPECT_FALSE(kFront.Contains("fe80::1"));
  // Not addresses at all, or IPv4 written in the forms inet_aton allows.
  for (const char* text : {"", "localhost", "127.1", "0x7f.0.0.1", "127.0.0.1 ", "::1%lo"}) {
    EXPECT_FALSE(kFront.Contains(text)) << text;
  }
  EXPECT_FALSE(TrustedProxies().Contains("127.0.0.1")) << "none by default";
}

TEST(TrustedProxies, RefusesWhatIsNotAnAddressOrPrefix) {
  for (const char* entry : {"localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "::/129",
                            "10.0.0.0/-1", "10.0.0.0/08a"}) {
    EXPECT_THROW(TrustedProxies({entry}), std::invalid_argument) << entry;
  }
  EXPECT_NO_THROW(TrustedProxies({"0.0.0.0/0", "10.0.0.0/8", "::/0"}));
}

TEST(IdentifyClient, FromATrustedProxyTheLastForwardedAddressCounts) {
  const ClientConnection client =
      IdentifyClient("127.0.0.1", "6.6.6.6, 203.0.113.7", "https", kFront);
  EXPECT_EQ(client.address, "203.0.113.7") << "the entry the proxy added, not the claimed one";
  EXPECT_TRUE(client.overHttps);
  EXPECT_EQ(IdentifyClient("::1", "2001:db8::7", "HTTP", kFront).address, "2001:db8::7");
  EXPECT_FALSE(IdentifyClient("::1", "2001:db8::7", "http", kFront).overHttps);
}

TEST(IdentifyClient, FromAnyoneElseTheHeadersAreIgnored) {
  const ClientConnection client = IdentifyClient("198.51.100.4", "10.0.0.1", "https", kFront);
  EXPECT_EQ(client.address, "198.51.100.4");
  EXPECT_FALSE(client.overHttps);
  EXPECT_EQ(IdentifyClient("127.0.0.1", "10.0.0.1", "https", TrustedProxies()).address,
            "127.0.0.1");
}

TEST(IdentifyClient, AForwardedValueThatIsNotAnAddressLeavesThePeer) {
  for (const char* forwarded : {"", "unknown", "10.0.0.1, ", "10.0.0.1,evil", "_hidden"}) {
    EXPECT_EQ(IdentifyClient("127.0.0.1", forwarded, "", kFront).address, "127.0.0.1")
        << forwarded;
  }
}

}  // namespace
}  // namespace mis
