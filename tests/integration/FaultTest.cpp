// Faults a server meets in a hospital: a crash (kill -9) in the middle of
// STOW-RS uploads, and a full disk. Whatever the server acknowledged must be
// there afterwards, byte for byte, and nothing stored before may be damaged.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "AuthHelpers.h"
#include "OrthancServer.h"
#include "SampleVolume.h"
#include "StowRequest.h"
#include "TemporaryDirectory.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "carol";
constexpr const char* kUserPassword = "carol-password-1";

// POST /dicom-web/studies with one instance: "" when the answer references
// it, else what went wrong.
std::string StowOne(const HttpClient& client, const std::string& dicom, const std::string& sopUid,
             HttpHeaders headers = {}) {
  headers.emplace_back("Accept", "application/dicom+json");
  const HttpResponse answer = client.Post(
      "/dicom-web/studies", StowBody({{"application/dicom", dicom}}), StowContentType(), headers);
  if (answer.status != 200) {
    return "STOW answered " + std::to_string(answer.status) + " " + answer.body.substr(0, 200);
  }
  if (ReferencedSopInstanceUids(answer.Json()).count(sopUid)) return "";
  return "no " + sopUid + " in the STOW answer: " + answer.body;
}

// Every instance Orthanc holds must be byte-identical to the file it came
// from (found by SOP Instance UID among `sources`); returns how many it holds.
size_t ExpectEveryStoredInstanceIntact(const HttpClient& client,
                                       const std::map<std::string, fs::path>& sources) {
  const HttpResponse instances = client.Get("/instances");
  EXPECT_EQ(instances.status, 200) << instances.body;
  size_t count = 0;
  for (const Json::Value& id : instances.Json()) {
    ++count;
    const HttpResponse file = client.Get("/instances/" + id.asString() + "/file");
    EXPECT_EQ(file.status, 200) << id.asString();
    const std::string uid = client.Get("/instances/" + id.asString())
                                .Json()["MainDicomTags"]["SOPInstanceUID"]
                                .asString();
    const auto source = sources.find(uid);
    if (source == sources.end()) {
      ADD_FAILURE() << "an instance no one sent: " << uid;
      continue;
    }
    EXPECT_TRUE(file.body == ReadFileBytes(source->second))
        << "instance " << id.asString() << " differs from " << source->second;
  }
  return count;
}

TEST(FaultTest, KillDuringStowKeepsEveryAcknowledgedInstance) {
  OrthancServer server;
  AddUser(server, kUser, kUserPassword);
  const std::string token = CreateApiToken(server, kAdminUser);
  const HttpClient client = server.AnonymousHttp();
  const HttpHeaders bearer = {{"Authorization", "Bearer " + token}};
  const std::map<std::string, fs::path> sources = SampleFilesBySopInstanceUid();

  // Two PACS-like senders, one instance per STOW request, until the server dies.
  std::mutex mutex;
  std::vector<fs::path> acknowledged;
  std::vector<std::string> failuresBeforeTheKill;
  std::atomic<size_t> acknowledgedCount{0};
  std::atomic<int> sendersRunning{2};
  std::atomic<bool> killing{false};
  auto send = [&](size_t first) {
    const HttpClient stow(server.BaseUrl(), std::chrono::seconds(30));
    const std::vector<fs::path> files = SampleVolumeFiles();
    for (size_t i = first; i < files.size(); i += 2) {
      std::string why;
      try {
        why = StowOne(stow, ReadFileBytes(files[i]), DicomTag(files[i], "SOPInstanceUID"), bearer);
      } catch (const std::runtime_error& error) {
        why = error.what();  // the server is gone, or was never reachable
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (!why.empty()) {
        if (!killing) failuresBeforeTheKill.push_back(files[i].filename().string() + ": " + why);
        break;
      }
      acknowledged.push_back(files[i]);
      ++acknowledgedCount;
    }
    --sendersRunning;
  };
  std::thread first(send, 0), second(send, 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (acknowledgedCount < kSampleSlices / 3 && sendersRunning > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  killing = true;
  const ExitStatus killed = server.Kill();
  first.join();
  second.join();
  EXPECT_THAT(failuresBeforeTheKill, ::testing::IsEmpty());
  ASSERT_GE(acknowledged.size(), kSampleSlices / 3) << "too few uploads before the kill";
  ASSERT_FALSE(killed.exited) << "the server ended before the kill: " << killed.Describe();
  ASSERT_LT(acknowledged.size(), kSampleSlices) << "the kill came after every upload";

  server.Restart();
  for (const fs::path& file : acknowledged) {
    const HttpResponse stored = server.Http().Get("/instances/" + InstanceIdOf(file) + "/file");
    ASSERT_EQ(stored.status, 200) << file << " was acknowledged but is missing";
    EXPECT_TRUE(stored.body == ReadFileBytes(file)) << file << " is damaged";
  }
  // What was in flight is there whole or not at all.
  EXPECT_GE(ExpectEveryStoredInstanceIntact(server.Http(), sources), acknowledged.size());

  // The users database survived: passwords, and the token made before the crash.
  EXPECT_EQ(Login(server, kUser, kUserPassword).status, 200);
  EXPECT_EQ(client.Get("/instances", bearer).status, 200);
  // And the series routes work on what was stored.
  EXPECT_EQ(server.Http().Get("/api/series/" + SeriesIdOf(acknowledged.front()) + "/volume").status,
            200);
}

// A tmpfs of `megabytes` mounted on `path` for the lifetime of the object
// (needs CAP_SYS_ADMIN, as root has).
class TmpfsMount {
 public:
  TmpfsMount(fs::path path, int megabytes) : path_(std::move(path)) {
    fs::create_directories(path_);
    const std::string options = "size=" + std::to_string(megabytes) + "m";
    mounted_ = mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~TmpfsMount() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool Mounted() const { return mounted_; }

 private:
  fs::path path_;
  bool mounted_ = false;
};

// Fills the file system of `folder` up to `leaveBytes` free, with one file.
fs::path FillDisk(const fs::path& folder, uint64_t leaveBytes) {
  struct statvfs stats {};
  if (statvfs(folder.c_str(), &stats) != 0) throw std::runtime_error("statvfs failed");
  const uint64_t available = uint64_t{stats.f_bavail} * stats.f_frsize;
  const fs::path filler = folder / "filler";
  std::ofstream out(filler, std::ios::binary);
  const std::string block(64 * 1024, '\0');
  for (uint64_t written = 0; written + block.size() + leaveBytes <= available;
       written += block.size()) {
    out.write(block.data(), block.size());
  }
  return filler;
}

TEST(FaultTest, FullDiskRefusesUploadsAndKeepsWhatIsStored) {
  TemporaryDirectory directory("mis-full-disk");
  TmpfsMount disk(directory.Path() / "disk", 48);
  if (!disk.Mounted()) GTEST_SKIP() << "mounting a tmpfs needs root (CAP_SYS_ADMIN)";
  OrthancServerOptions options;
  options.storageDirectory = directory.Path() / "disk";
  OrthancServer server(options);
  AddUser(server, kUser, kUserPassword);
  const HttpClient http = server.Http();

  const std::vector<fs::path> files = SampleVolumeFiles();
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(http.Post("/instances", ReadFileBytes(files[i]), "application/dicom").status, 200);
  }
  const fs::path filler = FillDisk(options.storageDirectory, 64 * 1024);

  const std::string next = ReadFileBytes(files[3]);
  const HttpResponse rest = http.Post("/instances", next, "application/dicom");
  EXPECT_EQ(rest.status, 500) << rest.body;  // Orthanc's own: "Cannot write to file"
  const HttpResponse ours = http.Post("/api/volume/store", next, "application/dicom");
  ExpectJsonError(ours, 500);
  EXPECT_EQ(ours.Json()["error"].asString(), "storage_failed");
  EXPECT_NE(StowOne(http, next, DicomTag(files[3], "SOPInstanceUID")), "");

  // Reading patient data leaves an audit record: without room for it, our
  // routes refuse with 503 rather than serve unrecorded. The front passes
  // the upload routes' answers on as the plugin sent them (and answers the
  // other /api routes' 503s with its own JSON, keeping Retry-After).
  const HttpResponse analysed = http.Post("/api/volume", next, "application/dicom");
  ExpectJsonError(analysed, 503);
  EXPECT_EQ(analysed.Json()["error"].asString(), "database_unavailable");
  EXPECT_EQ(analysed.Header("retry-after"), "30");
  const HttpResponse direct = server.DirectHttp().Post("/api/volume", next, "application/dicom");
  ExpectJsonError(direct, 503);
  EXPECT_EQ(direct.Json()["error"].asString(), "database_unavailable");
  EXPECT_EQ(direct.Header("retry-after"), "30");
  ExpectJsonError(Login(server, kUser, kUserPassword), 503);

  // Still serving, and nothing was damaged.
  EXPECT_EQ(server.AnonymousHttp().Get("/api/health").status, 200);
  EXPECT_EQ(ExpectEveryStoredInstanceIntact(http, SampleFilesBySopInstanceUid()), 3u);
  EXPECT_TRUE(server.IsRunning());

  // Space again: uploads work again, without a restart.
  fs::remove(filler);
  EXPECT_EQ(http.Post("/instances", next, "application/dicom").status, 200);
  EXPECT_EQ(ExpectEveryStoredInstanceIntact(http, SampleFilesBySopInstanceUid()), 4u);
  EXPECT_EQ(Login(server, kUser, kUserPassword).status, 200);
  EXPECT_EQ(http.Post("/api/volume", next, "application/dicom").status, 200);
  server.Stop();
}

}  // namespace
}  // namespace mis::test
