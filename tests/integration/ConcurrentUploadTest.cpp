// The volume route runs in parallel (registered without Orthanc's global
// lock): simultaneous uploads must all get the right figures.

#include <gtest/gtest.h>

#include <exception>
#include <thread>
#include <vector>

#include "ServerSuite.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

constexpr int kUploads = 16;

class ConcurrentUploadTest : public ServerSuite {};

TEST_F(ConcurrentUploadTest, SixteenSimultaneousUploadsAllGetTheExpectedCount) {
  const std::string bytes = ReadFileBytes(SampleSlicePath());
  const ExpectedAnswer expected = FindExpectedAnswer("1-101.dcm", 0.5);
  const HttpClient client = Http();

  std::vector<HttpResponse> responses(kUploads);
  std::vector<std::string> errors(kUploads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kUploads; ++i) {
    threads.emplace_back([&, i] {
      try {
        // Half raw bodies, half forms: both paths run side by side.
        responses[i] = i % 2 == 0 ? PostDicom(client, bytes) : PutForm(client, bytes);
      } catch (const std::exception& error) {
        errors[i] = error.what();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int i = 0; i < kUploads; ++i) {
    SCOPED_TRACE("upload " + std::to_string(i));
    ASSERT_EQ(errors[i], "");
    ExpectVolumeAnswer(responses[i], expected);
  }
}

}  // namespace
}  // namespace mis::test
