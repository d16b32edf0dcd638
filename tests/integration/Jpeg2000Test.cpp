// JPEG 2000: DCMTK cannot decode it, Orthanc can with Debian's GDCM plugin
// loaded. Expected figures: tests/data/pydicom/expected.tsv notes that pydicom
// finds 542 pixels and 42.34375 mm3 for MR_small_jp2klossless.dcm, the same
// as for its uncompressed twin MR_small.dcm (corpus/expected.tsv).

#include <gtest/gtest.h>

#include <filesystem>

#include "OrthancServer.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

constexpr const char* kGdcmPlugin = "/usr/share/orthanc/plugins/libOrthancGdcm.so";

std::string Jpeg2000File() {
  return ReadFileBytes(TestDataDirectory() / "pydicom" / "MR_small_jp2klossless.dcm");
}

TEST(Jpeg2000, DecodedThroughOrthancWhenGdcmIsLoaded) {
  if (!std::filesystem::exists(kGdcmPlugin)) GTEST_SKIP() << "orthanc-gdcm is not installed";
  OrthancServerOptions options;
  options.plugins.insert(options.plugins.begin(), kGdcmPlugin);
  OrthancServer server(options);
  const HttpResponse response = PostDicom(server.Http(), Jpeg2000File());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["pixels_above_threshold"].asUInt64(), 542u);
  EXPECT_NEAR(response.Json()["volume_mm3"].asDouble(), 42.34375, 1e-6);
  EXPECT_EQ(response.Json()["transfer_syntax_uid"].asString(), "1.2.840.10008.1.2.4.90");
}

TEST(Jpeg2000, RefusedNamingTheTransferSyntaxWithoutGdcm) {
  OrthancServer server;  // DICOMweb and ours only
  const HttpResponse response = PostDicom(server.Http(), Jpeg2000File());
  ASSERT_EQ(response.status, 422) << response.body;
  EXPECT_EQ(response.Json()["error"].asString(), "unsupported_transfer_syntax");
  EXPECT_NE(response.Json()["detail"].asString().find("1.2.840.10008.1.2.4.90"),
            std::string::npos)
      << response.body;
}

}  // namespace
}  // namespace mis::test
