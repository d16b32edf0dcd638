// Request targets: %-decoding, the path, query arguments (RFC 3986).
#include <gtest/gtest.h>

#include "UriComponents.h"

namespace mis {
namespace {

TEST(UriComponents, PercentDecoding) {
  EXPECT_EQ(PercentDecode("/dicom-web/studies"), "/dicom-web/studies");
  EXPECT_EQ(PercentDecode("/a%20b%2Fc%c3%A9"), "/a b/c\xC3\xA9");
  for (const char* bad : {"%", "%4", "%zz", "a%0", "%00", "x%4g"}) {
    EXPECT_FALSE(PercentDecode(bad).has_value()) << bad;
  }
}

TEST(UriComponents, PathWithoutQuery) {
  EXPECT_EQ(PathOf("/patients/abc?_method=DELETE"), "/patients/abc");
  EXPECT_EQ(PathOf("/patients"), "/patients");
  EXPECT_EQ(PathOf("?x"), "");
}

TEST(UriComponents, QueryArguments) {
  EXPECT_EQ(QueryArgument("/p?_method=DELETE", "_method"), "DELETE");
  EXPECT_EQ(QueryArgument("/p?a=1&_method=put&b", "_method"), "put");
  EXPECT_EQ(QueryArgument("/p?%5Fmethod=DELETE", "_method"), "DELETE") << "encoded names count";
  EXPECT_EQ(QueryArgument("/p?_method=DE%4CETE", "_method"), "DELETE");
  EXPECT_EQ(QueryArgument("/p?q=a+b", "q"), "a b");
  EXPECT_EQ(QueryArgument("/p?_method=DELETE&_method=PUT", "_method"), "DELETE") << "the first";
  EXPECT_EQ(QueryArgument("/p", "_method"), "");
  EXPECT_EQ(QueryArgument("/p?_methods=DELETE", "_method"), "");
  EXPECT_EQ(QueryArgument("/p?_method", "_method"), "");
  EXPECT_EQ(QueryArgument("/p?_method=%zz", "_method"), "");
}

}  // namespace
}  // namespace mis
