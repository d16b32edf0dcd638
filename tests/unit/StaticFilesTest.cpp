// Serving the UI's files without ever leaving their folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "StaticFiles.h"
#include "TemporaryFile.h"

namespace mis {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ + "/assets");
    std::ofstream(root_ + "/index.html") << "<html></html>";
    std::ofstream(root_ + "/assets/app-1234.js") << "x";
    std::ofstream(folder_.File("secret.txt")) << "patient data";
    fs::create_symlink(folder_.File("secret.txt"), root_ + "/link.txt");
  }
  test::TemporaryFolder folder_;
  std::string root_ = folder_.File("dist");
};

TEST_F(StaticFilesTest, IndexAndAssets) {
  const auto index = ResolveStaticFile(root_, "");
  ASSERT_TRUE(index);
  EXPECT_EQ(fs::path(index->path).filename(), "index.html");
  EXPECT_EQ(index->contentType, "text/html; charset=utf-8");
  EXPECT_FALSE(index->immutable);
  EXPECT_TRUE(ResolveStaticFile(root_, "/"));
  const auto asset = ResolveStaticFile(root_, "assets/app-1234.js");
  ASSERT_TRUE(asset);
  EXPECT_EQ(asset->contentType, "text/javascript; charset=utf-8");
  EXPECT_TRUE(asset->immutable);
}

TEST_F(StaticFilesTest, NeverLeavesTheFolder) {
  for (const char* attack :
       {"../secret.txt", "assets/../../secret.txt", "..%2fsecret.txt", "%2e%2e/secret.txt",
        "%2e%2e%2fsecret.txt", "..\\secret.txt", "link.txt", "assets/%00.js", "%zz",
        "/etc/passwd", "assets", "missing.js", "%"}) {
    EXPECT_FALSE(ResolveStaticFile(root_, attack)) << attack;
  }
}

TEST_F(StaticFilesTest, MissingRootIsNotFound) {
  EXPECT_FALSE(ResolveStaticFile(folder_.File("nothing"), "index.html"));
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(ContentTypeOf("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeOf("a.unknown"), "application/octet-stream");
}

}  // namespace
}  // namespace mis
