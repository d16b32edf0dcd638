// Which routes are public, and what counts as a cross-origin write.
#include <gtest/gtest.h>

#include "RequestPolicy.h"

namespace mis {
namespace {

TEST(RequestPolicy, OnlyLoginHealthAndTheUiArePublic) {
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

TEST(RequestPolicy, StateChangingMethods) {
  EXPECT_TRUE(IsStateChanging("POST"));
  EXPECT_TRUE(IsStateChanging("PUT"));
  EXPECT_TRUE(IsStateChanging("DELETE"));
  EXPECT_FALSE(IsStateChanging("GET"));
}

TEST(RequestPolicy, CrossOrigin) {
  EXPECT_FALSE(IsCrossOrigin("", "localhost:8042"));  // no Origin: not a browser form
  EXPECT_FALSE(IsCrossOrigin("http://localhost:8042", "localhost:8042"));
  EXPECT_FALSE(IsCrossOrigin("https://pacs.example.org", "pacs.example.org"));
  EXPECT_TRUE(IsCrossOrigin("http://evil.example", "localhost:8042"));
  EXPECT_TRUE(IsCrossOrigin("http://localhost:8043", "localhost:8042"));
  EXPECT_TRUE(IsCrossOrigin("null", "localhost:8042"));
}

}  // namespace
}  // namespace mis
