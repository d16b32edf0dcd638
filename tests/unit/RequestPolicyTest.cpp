// Which changes are for administrators, and what counts as a cross-origin
// write (which routes are public: PublicRoutesTest.cpp).
#include <gtest/gtest.h>

#include "RequestPolicy.h"

namespace mis {
namespace {

TEST(RequestPolicy, EveryUserMayReadSearchAndSendImages) {
  EXPECT_TRUE(IsOpenToEveryUser("GET", "/patients"));
  EXPECT_TRUE(IsOpenToEveryUser("GET", "/dicom-web/studies"));
  EXPECT_TRUE(IsOpenToEveryUser("HEAD", "/instances/abc/file"));
  EXPECT_TRUE(IsOpenToEveryUser("POST", "/instances"));
  EXPECT_TRUE(IsOpenToEveryUser("POST", "/tools/find"));
  EXPECT_TRUE(IsOpenToEveryUser("POST", "/dicom-web/studies"));
  EXPECT_TRUE(IsOpenToEveryUser("POST", "/dicom-web/studies/1.2.840.99"));
}

TEST(RequestPolicy, OtherChangesAreForAdministrators) {
  EXPECT_FALSE(IsOpenToEveryUser("DELETE", "/patients/abc"));
  EXPECT_FALSE(IsOpenToEveryUser("DELETE", "/instances"));
  EXPECT_FALSE(IsOpenToEveryUser("PUT", "/modalities/ct1"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/modalities/ct1/store"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/tools/reset"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/tools/shutdown"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/patients/abc/modify"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/studies/abc/anonymize"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/instances/abc/modify"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/instancesX"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/dicom-web/studies/"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/dicom-web/studies/1.2/series"));
  EXPECT_FALSE(IsOpenToEveryUser("POST", "/dicom-web/servers/pacs/stow"));
  EXPECT_FALSE(IsOpenToEveryUser("PATCH", "/patients/abc"));
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
