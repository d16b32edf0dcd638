// The volume route stores nothing; /api/volume/store stores the file too.
// (Orthanc 1.10 gives POST/PUT routes no query arguments, so "?store=true" is
// ignored: the test checks that too.) Each test has
// its own server, so that what one stores cannot leak into another.

#include <gtest/gtest.h>

#include <memory>

#include "JsonPrinter.h"
#include "OrthancServer.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<OrthancServer>(); }

  Json::Value Instances() const {
    const HttpResponse response = server_->Http().Get("/instances");
    EXPECT_EQ(response.status, 200) << response.body;
    return response.Json();
  }

  std::unique_ptr<OrthancServer> server_;
};

TEST_F(StorageTest, NothingIsStoredByTheVolumeRoute) {
  const std::string bytes = ReadFileBytes(SampleSlicePath());
  const HttpClient client = server_->Http();
  for (const HttpResponse& response :
       {PostDicom(client, bytes), PutForm(client, bytes), PostDicom(client, bytes, "?store=true"),
        PostDicom(client, ReadFileBytes(CorpusPath("CT_small.dcm")))}) {
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_FALSE(response.Json().isMember("stored")) << response.body;
  }
  EXPECT_EQ(Instances(), Json::Value(Json::arrayValue));
}

TEST_F(StorageTest, StoreRouteStoresTheInstance) {
  ASSERT_EQ(Instances(), Json::Value(Json::arrayValue));
  const HttpResponse response =
      PostDicom(server_->Http(), ReadFileBytes(SampleSlicePath()), "/store");
  ExpectVolumeAnswer(response, FindExpectedAnswer("1-101.dcm", 0.5));
  ASSERT_EQ(response.status, 200);
  const Json::Value answer = response.Json();
  const Json::Value& stored = answer["stored"];
  ASSERT_TRUE(stored["instance"].isString()) << response.body;
  EXPECT_EQ(stored["status"].asString(), "Success") << response.body;

  Json::Value expectedInstances(Json::arrayValue);
  expectedInstances.append(stored["instance"]);
  EXPECT_EQ(Instances(), expectedInstances);

  // What Orthanc stored is the file that was measured.
  const HttpResponse instance =
      server_->Http().Get("/instances/" + stored["instance"].asString());
  ASSERT_EQ(instance.status, 200) << instance.body;
  EXPECT_EQ(instance.Json()["MainDicomTags"]["SOPInstanceUID"], answer["sop_instance_uid"]);
  EXPECT_EQ(instance.Json()["ParentSeries"], stored["series"]);
}

TEST_F(StorageTest, StoringTwiceKeepsOneInstance) {
  const std::string bytes = ReadFileBytes(SampleSlicePath());
  const HttpResponse first = PutForm(server_->Http(), bytes, "/store");
  const HttpResponse second = PostDicom(server_->Http(), bytes, "/store");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(first.Json()["stored"]["instance"], second.Json()["stored"]["instance"]);
  EXPECT_EQ(Instances().size(), 1u);
}

}  // namespace
}  // namespace mis::test
