// MedicalImageServer.Threshold from the configuration: other thresholds give
// the rows of expected.tsv for them; invalid ones, or a misspelled key, stop
// the server at start.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "OrthancServer.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

OrthancServerOptions WithThreshold(const Json::Value& threshold) {
  OrthancServerOptions options;
  options.pluginSettings["Threshold"] = threshold;
  return options;
}

void ExpectSampleSliceRowAt(double threshold) {
  OrthancServer server(WithThreshold(threshold));
  const ExpectedAnswer expected = FindExpectedAnswer("1-101.dcm", threshold);
  ExpectVolumeAnswer(PostDicom(server.Http(), ReadFileBytes(SampleSlicePath())), expected);
  ExpectVolumeAnswer(PutForm(server.Http(), ReadFileBytes(SampleSlicePath())), expected);
}

void ExpectRefusedAtStart(const Json::Value& threshold) {
  const OrthancServer::FailedStart failed =
      OrthancServer::StartExpectingFailure(WithThreshold(threshold));
  EXPECT_FALSE(failed.status.Success()) << failed.status.Describe();
  EXPECT_THAT(failed.log, ::testing::HasSubstr("MedicalImageServer.Threshold"));
}

TEST(ThresholdConfigTest, ThresholdPoint3GivesItsRow) { ExpectSampleSliceRowAt(0.3); }

TEST(ThresholdConfigTest, ThresholdPoint7GivesItsRow) { ExpectSampleSliceRowAt(0.7); }

TEST(ThresholdConfigTest, ThresholdAboveOneStopsTheServer) { ExpectRefusedAtStart(1.5); }

TEST(ThresholdConfigTest, NonNumericThresholdStopsTheServer) { ExpectRefusedAtStart("abc"); }

// A typo must not leave the threshold at its default 0.5 unnoticed.
TEST(ThresholdConfigTest, MisspelledThresholdKeyStopsTheServer) {
  OrthancServerOptions options;
  options.pluginSettings["Treshold"] = 0.7;
  const OrthancServer::FailedStart failed = OrthancServer::StartExpectingFailure(options);
  EXPECT_FALSE(failed.status.Success()) << failed.status.Describe();
  EXPECT_THAT(failed.log, ::testing::HasSubstr("refuses to start: MedicalImageServer.Treshold"));
  EXPECT_THAT(failed.log, ::testing::HasSubstr("did you mean Threshold?"));
}

}  // namespace
}  // namespace mis::test
