// Which requests are public, from the public lines of the route table.
#include <gtest/gtest.h>

#include <regex>

#include "PolicyCases.h"
#include "PublicRoutes.h"

namespace mis::test {
namespace {

TEST(PublicRoutes, OnlyLoginHealthAndTheUiArePublic) {
  const PublicRoutes routes = TablePublicRoutes();
  auto IsPublicRoute = [&](const char* method, const char* uri) {
    return routes.Contains(method, uri);
  };
  EXPECT_TRUE(IsPublicRoute("POST", "/api/auth/login"));
  EXPECT_TRUE(IsPublicRoute("GET", "/api/health"));
  EXPECT_TRUE(IsPublicRoute("GET", "/"));
  EXPECT_TRUE(IsPublicRoute("GET", "/ui/index.html"));
  EXPECT_TRUE(IsPublicRoute("GET", "/ui"));
  EXPECT_TRUE(IsPublicRoute("GET", "/ui/assets/app.js"));
  EXPECT_FALSE(IsPublicRoute("GET", "/api/auth/login"));
  EXPECT_FALSE(IsPublicRoute("POST", "/api/health"));
  EXPECT_FALSE(IsPublicRoute("DELETE", "/ui/index.html"));
  EXPECT_FALSE(IsPublicRoute("GET", "/ui/../patients"));
  EXPECT_FALSE(IsPublicRoute("GET", "/patients"));
  EXPECT_FALSE(IsPublicRoute("GET", "/app/explorer.html"));
  EXPECT_FALSE(IsPublicRoute("GET", "/dicom-web/studies"));
  EXPECT_FALSE(IsPublicRoute("GET", "/api/patient-name"));
}

// As Orthanc matches plugin routes: the whole path, without its trailing slash.
TEST(PublicRoutes, PathsAreMatchedWholeAsOrthancMatchesThem) {
  const PublicRoutes routes = TablePublicRoutes();
  EXPECT_TRUE(routes.Contains("GET", "/ui/"));
  EXPECT_TRUE(routes.Contains("GET", "/api/health/"));
  EXPECT_TRUE(routes.Contains("GET", "/ui/a/b.js"));
  EXPECT_FALSE(routes.Contains("GET", "/uix"));
  EXPECT_FALSE(routes.Contains("GET", "/api/healthz"));
  EXPECT_FALSE(routes.Contains("GET", "/x/ui/index.html"));
  EXPECT_FALSE(routes.Contains("GET", "//ui"));
  EXPECT_FALSE(routes.Contains("GET", "/ui//index.html"));
  EXPECT_FALSE(routes.Contains("GET", "/ui/a..b"));
  EXPECT_FALSE(routes.Contains("GET", "ui/index.html"));
  EXPECT_FALSE(routes.Contains("GET", ""));
  EXPECT_FALSE(routes.Contains("get", "/ui"));
  // Orthanc hands HEAD to its WebDAV code, never to a plugin route.
  EXPECT_FALSE(routes.Contains("HEAD", "/ui"));
  // Listed once before, but no route serves it.
  EXPECT_FALSE(routes.Contains("GET", "/favicon.ico"));
}

TEST(PublicRoutes, ABadPatternIsRefused) {
  const std::vector<PublicRoutes::Route> broken = {{"/ui/(", "GET"}};
  EXPECT_THROW(PublicRoutes{broken}, std::regex_error);
}

}  // namespace
}  // namespace mis::test
