// Scale-out: two Orthanc nodes with our plugin over one PostgreSQL, as
// docker-compose.cluster.yml runs them. Orthanc keeps its index and files in
// PostgreSQL (Debian's orthanc-postgresql, Lock off so that both nodes may
// use it), our plugin its users, sessions and failed logins. The test itself
// alternates between the nodes, as nginx's round robin would.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "AuthHelpers.h"
#include "OrthancServer.h"
#include "PostgresServer.h"
#include "SampleVolume.h"
#include "StowRequest.h"
#include "TestData.h"

namespace mis::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "dana";
constexpr const char* kUserPassword = "dana-password-1";

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PostgresServer::Options options;
    options.listenOnTcp = true;
    postgres_ = std::make_unique<PostgresServer>(options);
    database_ = postgres_->CreateDatabase();
    // One after the other: the first node creates the schemas.
    for (int i = 0; i < 2; ++i) nodes_.push_back(std::make_unique<OrthancServer>(NodeOptions()));
    AddUser(Node(0), kUser, kUserPassword);
  }

  OrthancServerOptions NodeOptions() const {
    OrthancServerOptions options;
    options.plugins = DefaultPlugins();
    options.plugins.insert(options.plugins.begin(),
                           {MIS_POSTGRESQL_INDEX_PLUGIN, MIS_POSTGRESQL_STORAGE_PLUGIN});
    Json::Value& postgresql = options.orthancSettings["PostgreSQL"];
    postgresql["EnableIndex"] = true;
    postgresql["EnableStorage"] = true;
    postgresql["ConnectionUri"] = postgres_->TcpUri(database_);
    postgresql["Lock"] = false;  // several nodes on one database
    options.pluginSettings["UsersDatabase"] = postgres_->TcpUri(database_);
    return options;
  }

  OrthancServer& Node(size_t i) { return *nodes_.at(i); }

  std::unique_ptr<PostgresServer> postgres_;
  std::string database_;
  std::vector<std::unique_ptr<OrthancServer>> nodes_;
};

TEST_F(ClusterTest, OneLoginForAllNodesAndOneLogoutForAll) {
  const std::string cookie = SessionCookie(Login(Node(0), kUser, kUserPassword));
  const HttpResponse me = MeWithCookie(Node(1), cookie);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["username"].asString(), kUser);
  EXPECT_EQ(Node(1).AnonymousHttp().Get("/patients", {{"Cookie", cookie}}).status, 200);
  ASSERT_EQ(MeWithCookie(Node(0), cookie).status, 200);  // node 0 now trusts it from memory

  const HttpResponse logout = Node(1).AnonymousHttp().Request(
      "POST", "/api/auth/logout", {{"Cookie", cookie}});
  ASSERT_EQ(logout.status, 200) << logout.body;
  EXPECT_EQ(MeWithCookie(Node(1), cookie).status, 401);
  // Node 0 learns it once its memory of the session expires
  // (CredentialCacheSeconds, 2 s).
  const auto start = std::chrono::steady_clock::now();
  while (MeWithCookie(Node(0), cookie).status == 200 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(MeWithCookie(Node(0), cookie).status, 401);
  EXPECT_LE(seconds, 3.0);
  ExpectOrthancRouteRefused(Node(0), "/patients", {{"Cookie", cookie}});
}

TEST_F(ClusterTest, FiveWrongPasswordsOverBothNodesBlockTheName) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    EXPECT_EQ(Login(Node(attempt % 2), kUser, "a-wrong-password").status, 401);
  }
  // The right password, now refused on both nodes: 429 + Retry-After from
  // their fronts, 503 + Retry-After straight from Orthanc (1.10 cannot send 429).
  for (size_t i = 0; i < 2; ++i) {
    const HttpResponse refused = Login(Node(i), kUser, kUserPassword);
    EXPECT_EQ(refused.status, 429) << "node " << i << ": " << refused.body;
    EXPECT_FALSE(refused.Header("retry-after").empty());
    const HttpResponse direct = Login(Node(i).DirectHttp().Anonymous(), kUser, kUserPassword);
    EXPECT_EQ(direct.status, 503) << "node " << i << ": " << direct.body;
    EXPECT_FALSE(direct.Header("retry-after").empty());
  }
}

void Stow(const OrthancServer& node, const std::string& token, const std::vector<fs::path>& files) {
  const HttpResponse answer = node.AnonymousHttp().Post(
      "/dicom-web/studies", StowBody(DicomParts(files)), StowContentType(),
      {{"Authorization", "Bearer " + token}, {"Accept", "application/dicom+json"}, {"Expect", ""}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(ReferencedSopInstanceUids(answer.Json()).size(), files.size()) << answer.body;
}

TEST_F(ClusterTest, SeriesStoredHalfThroughEachNodeIsTheSameOnBoth) {
  const std::string token = CreateApiToken(Node(0), kAdminUser);
  const std::vector<fs::path> files = SampleVolumeFiles();
  const std::vector<fs::path> firstHalf(files.begin(), files.begin() + files.size() / 2);
  const std::vector<fs::path> secondHalf(files.begin() + files.size() / 2, files.end());
  const std::string series = "/api/series/" + SeriesIdOf(files.front());

  Stow(Node(0), token, firstHalf);
  // Node 0 computes and caches the volume of the first half ...
  const HttpResponse partial = Node(0).Http().Get(series + "/volume");
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_EQ(partial.Json()["slices"].asUInt64(), firstHalf.size());
  // ... then the other half arrives through node 1: node 0's cache must not
  // answer for the old series.
  Stow(Node(1), token, secondHalf);

  const fs::path middle = SampleVolumeFile(kMiddleFile);
  std::string picture;
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE("node " + std::to_string(i));
    const HttpClient client = Node(i).Http();
    const HttpResponse name = client.Get(series + "/patient-name");
    ASSERT_EQ(name.status, 200) << name.body;
    EXPECT_EQ(name.Json()["patient_name"].asString(), DicomTag(middle, "PatientName"));

    const HttpResponse info = client.Get(series + "/middle-slice/info");
    ASSERT_EQ(info.status, 200) << info.body;
    EXPECT_EQ(info.Json()["count"].asUInt64(), kSampleSlices);
    EXPECT_EQ(info.Json()["index"].asUInt64(), kMiddleIndex);
    EXPECT_EQ(info.Json()["sop_instance_uid"].asString(), DicomTag(middle, "SOPInstanceUID"));

    const HttpResponse slice = client.Get(series + "/middle-slice");
    ASSERT_EQ(slice.status, 200);
    if (picture.empty()) picture = slice.body;
    EXPECT_TRUE(slice.body == picture) << "the nodes render different pictures";

    const HttpResponse volume = client.Get(series + "/volume");
    ASSERT_EQ(volume.status, 200) << volume.body;
    EXPECT_EQ(volume.Json()["slices"].asUInt64(), kSampleSlices);
    EXPECT_EQ(volume.Json()["pixels_above_threshold"].asInt64(), kSampleAbove);
    EXPECT_NEAR(volume.Json()["volume_mm3"].asDouble(), kSampleVolumeMm3, kSampleVolumeTolerance);
  }
}

}  // namespace
}  // namespace mis::test
