// Reading credentials from the Cookie and Authorization headers.
#include <gtest/gtest.h>

#include "HttpCredentials.h"

namespace mis {
namespace {

TEST(HttpCredentials, FindsTheSessionCookieAmongOthers) {
  EXPECT_EQ(CookieValue("a=1; mis_session=tok; b=2", "mis_session"), "tok");
  EXPECT_EQ(CookieValue("mis_session=\"quoted\"", "mis_session"), "quoted");
  EXPECT_EQ(CookieValue("xmis_session=no; mis_sessionx=no", "mis_session"), "");
  EXPECT_EQ(CookieValue("", "mis_session"), "");
  EXPECT_EQ(CookieValue("mis_session=" + std::string(300, 'a'), "mis_session"), "");
}

TEST(HttpCredentials, Bearer) {
  const Credentials c = ParseCredentials("", "Bearer abc.def");
  EXPECT_EQ(c.bearerToken, "abc.def");
  EXPECT_TRUE(c.Any());
  EXPECT_EQ(ParseCredentials("", "bearer xyz").bearerToken, "xyz");  // scheme is case-insensitive
  EXPECT_TRUE(ParseCredentials("", "Bearer ").malformedAuthorization);
}

TEST(HttpCredentials, Basic) {
  // "Aladdin:open sesame" (RFC 7617), and a password containing a colon.
  Credentials c = ParseCredentials("", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  ASSERT_TRUE(c.hasBasic);
  EXPECT_EQ(c.basicUser, "Aladdin");
  EXPECT_EQ(c.basicPassword, "open sesame");
  c = ParseCredentials("", "Basic dTpwOnE=");  // "u:p:q"
  EXPECT_EQ(c.basicUser, "u");
  EXPECT_EQ(c.basicPassword, "p:q");
  EXPECT_TRUE(ParseCredentials("", "Basic !!!").malformedAuthorization);
  EXPECT_TRUE(ParseCredentials("", "Basic bm9jb2xvbg==").malformedAuthorization);  // "nocolon"
  EXPECT_FALSE(ParseCredentials("", "Basic !!!").hasBasic);
}

TEST(HttpCredentials, UnknownSchemesAreMalformedNotCredentials) {
  const Credentials c = ParseCredentials("", "Digest username=x");
  EXPECT_TRUE(c.malformedAuthorization);
  EXPECT_FALSE(c.Any());
  EXPECT_FALSE(ParseCredentials("", "").Any());
}

}  // namespace
}  // namespace mis
