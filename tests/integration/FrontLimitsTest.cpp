// What the HTTP front bounds before Orthanc's 50 HTTP threads and memory see
// it (issue 15): a declared Content-Length above MaxUploadMegabytes gets the
// JSON 413 before any of the body is read; "Expect: 100-continue" is answered
// at once; unauthenticated requests to Orthanc's routes are refused before
// their body; idle and slow clients wait in nginx, not in Orthanc. Each
// figure is printed, and compared with Orthanc reached directly where that
// shows what the test would catch.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "AuthHelpers.h"
#include "CommandLine.h"
#include "RawHttp.h"
#include "SampleVolume.h"
#include "ServerSuite.h"
#include "StowRequest.h"
#include "TemporaryDirectory.h"
#include "TestData.h"

namespace mis::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kMaxUploadMegabytes = 64;
constexpr uint64_t kLimitBytes = uint64_t{kMaxUploadMegabytes} * 1024 * 1024;
// "admin:integration-admin-password" in base64 (RFC 7617).
constexpr const char* kAdminBasic = "Basic YWRtaW46aW50ZWdyYXRpb24tYWRtaW4tcGFzc3dvcmQ=";

std::string Head(const std::string& method, const std::string& target, uint64_t length,
                 const std::string& extraHeaders = "") {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         "Content-Type: application/dicom\r\nContent-Length: " + std::to_string(length) + "\r\n" +
         extraHeaders + "\r\n";
}

// Orthanc's and nginx's (master and workers) resident memory, in KiB.
struct Memory {
  long orthanc = 0;
  long nginx = 0;
};

Memory MeasureMemory(OrthancServer& server) {
  Memory memory;
  memory.orthanc = ResidentKilobytes(server.Pid());
  for (const pid_t pid : server.Front()->Pids()) memory.nginx += ResidentKilobytes(pid);
  return memory;
}

// Clients that hold connections open: `idle` that never send a byte, `slow`
// that send a request line and then one header line each time Trickle() is
// called, and `claims` that declare a body within the limit and never send it.
class LingeringClients {
 public:
  LingeringClients(uint16_t port, size_t idle, size_t slow, size_t claims) {
    for (size_t i = 0; i < idle; ++i) idle_.emplace_back(port);
    for (size_t i = 0; i < slow; ++i) {
      slow_.emplace_back(port);
      slow_.back().Send("GET /api/health HTTP/1.1\r\n");
    }
    for (size_t i = 0; i < claims; ++i) {
      claims_.emplace_back(port);
      claims_.back().Send(Head("PUT", "/api/volume", kLimitBytes - 1));
    }
  }

  // One more header line from each slow client; how many could still send.
  size_t Trickle() {
    size_t open = 0;
    for (RawConnection& connection : slow_) {
      open += connection.Send("X-Slow-Line-" + std::to_string(++lines_) + ": a\r\n") ? 1 : 0;
    }
    return open;
  }

 private:
  std::vector<RawConnection> idle_, slow_, claims_;
  int lines_ = 0;
};

class FrontLimitsTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    options.pluginSettings["MaxUploadMegabytes"] = kMaxUploadMegabytes;
    StartServer(options);
  }
};

// A 2 GB claim, with credentials or without, with "Expect: 100-continue" or
// not: the front's JSON 413 at once, no "100 Continue", the connection closed.
TEST_F(FrontLimitsTest, DeclaredLengthAboveTheLimitIs413BeforeTheBody) {
  constexpr uint64_t kClaim = 2'000'000'000;
  double slowest = 0;
  for (const char* target :
       {"/api/volume", "/api/volume/store", "/instances", "/dicom-web/studies"}) {
    for (const std::string& extra :
         {std::string(), std::string("Authorization: ") + kAdminBasic + "\r\n",
          std::string("Authorization: ") + kAdminBasic + "\r\nExpect: 100-continue\r\n"}) {
      SCOPED_TRACE(std::string(target) + " with " + (extra.empty() ? "no credentials" : extra));
      const RawAnswer answer = RawExchange(Server().HttpPort(), Head("POST", target, kClaim, extra),
                                           std::chrono::seconds(5));
      ASSERT_EQ(answer.Status(), 413) << answer.text;
      EXPECT_LT(answer.milliseconds, 100.0);
      slowest = std::max(slowest, answer.milliseconds);
      HttpResponse response;
      response.body = answer.Body();
      const Json::Value body = response.Json();
      EXPECT_EQ(body["error"].asString(), "upload_too_large");
      EXPECT_EQ(body["limit_bytes"].asUInt64(), kLimitBytes);
      EXPECT_NE(answer.text.find("Content-Type: application/json"), std::string::npos);
      EXPECT_EQ(answer.text.find("100 Continue"), std::string::npos);
    }
  }
  std::printf(
      "[ figures  ] 2 GB declared through the front: 413 in %.1f ms at most (limit 100 ms)\n",
      slowest);
  // Orthanc alone waits for the body it was promised: no answer within a second.
  const RawAnswer direct = RawExchange(
      Server().DirectPort(),
      Head("POST", "/api/volume", kClaim, std::string("Authorization: ") + kAdminBasic + "\r\n"),
      std::chrono::seconds(1));
  EXPECT_EQ(direct.Status(), 0) << direct.text;
  std::printf("[ figures  ] the same claim straight to Orthanc: %s after %.0f ms\n",
              direct.Status() == 0 ? "no answer" : "an answer", direct.milliseconds);
}

// Within the limit, uploads still need credentials: the front asks the
// plugin before it reads a byte of the body, for Orthanc's routes and ours
// alike, and for wrong credentials as for none.
TEST_F(FrontLimitsTest, UnauthenticatedClaimWithinTheLimitIs401BeforeTheBody) {
  for (const char* target : {"/instances", "/dicom-web/studies", "/api/volume",
                             "/api/volume/store", "/api/volume/preview"}) {
    for (const char* method : {"POST", "PUT"}) {
      for (const std::string& extra :
           {std::string(), std::string("Authorization: Basic YWRtaW46d3Jvbmc=\r\n"),
            std::string("Cookie: mis_session=not-a-session\r\n")}) {
        SCOPED_TRACE(std::string(method) + " " + target + " with " +
                     (extra.empty() ? "no credentials" : extra));
        const RawAnswer answer = RawExchange(
            Server().HttpPort(), Head(method, target, kLimitBytes - 1, extra), std::chrono::seconds(5));
        // An answer at all shows the body was not waited for (none is sent);
        // a wrong password takes its Argon2id verification, up to a second
        // on a busy machine.
        EXPECT_EQ(answer.Status(), 401) << answer.text;
        EXPECT_LT(answer.milliseconds, 2000.0);
        EXPECT_NE(answer.text.find("WWW-Authenticate: "), std::string::npos) << answer.text;
      }
    }
  }
}

// A body the front checks before reading it (chunked, or of a million bytes
// and more) reaches the route when the credentials are good: raw or as a
// form sent by POST, with a password or a session cookie, and counted as
// 1-101.dcm is (the pydicom reference table).
TEST_F(FrontLimitsTest, CheckedUploadsWithCredentialsReachTheRoute) {
  const ExpectedAnswer expected = FindExpectedAnswer("1-101.dcm", 0.5);
  const std::string file = ShellQuote(SampleSlicePath().string());
  const std::string cookie = SessionCookie(Login(Server(), kAdminUser, kAdminPassword));
  const std::string password = "--user " + ShellQuote(std::string(kAdminUser) + ":" + kAdminPassword);
  const std::string chunked = "-H 'Transfer-Encoding: chunked' ";
  for (const std::string& credentials : {password, "-H " + ShellQuote("Cookie: " + cookie)}) {
    for (const std::string& body :
         {chunked + "-H 'Content-Type: application/dicom' --data-binary @" + file,
          chunked + "-F file=@" + file}) {
      SCOPED_TRACE(body + " with " + credentials.substr(0, 8));
      const HttpResponse answer =
          RunCurl("-X POST " + credentials + " " + body + " " + ShellQuote(Server().BaseUrl() + "/api/volume"));
      ASSERT_EQ(answer.status, 200) << answer.body;
      EXPECT_EQ(answer.Json()["pixels_above_threshold"].asUInt64(), expected.pixelsAboveThreshold);
    }
  }
  // Without them: the check's 401 with the /api routes' challenge, as JSON.
  const HttpResponse anonymous =
      RunCurl("-X POST " + chunked + "--data-binary @" + file + " " + ShellQuote(Server().BaseUrl() + "/api/volume"));
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.Header("www-authenticate"), kBearerChallenge);
  EXPECT_EQ(anonymous.Json()["error"].asString(), "unauthenticated");
}

// Our other /api routes take small JSON bodies: a larger claim gets the 413
// at once, from anyone, and the login is not read beyond 64 KiB either.
TEST_F(FrontLimitsTest, OurJsonRoutesRefuseBodiesAbove64KiBBeforeReadingThem) {
  for (const char* target : {"/api/auth/login", "/api/auth/logout", "/api/patient-name"}) {
    for (const std::string& extra :
         {std::string(), std::string("Authorization: ") + kAdminBasic + "\r\n"}) {
      SCOPED_TRACE(std::string(target) + " with " + (extra.empty() ? "no credentials" : extra));
      const RawAnswer answer = RawExchange(Server().HttpPort(), Head("POST", target, 65537, extra),
                                           std::chrono::seconds(5));
      ASSERT_EQ(answer.Status(), 413) << answer.text;
      EXPECT_LT(answer.milliseconds, 100.0);
      HttpResponse response;
      response.body = answer.Body();
      EXPECT_EQ(response.Json()["error"].asString(), "body_too_large");
      EXPECT_EQ(response.Json()["limit_bytes"].asUInt64(), 65536u);
    }
  }
}

// The time curl waits between a request's head and its body, and its status
// and total time: curl asks "Expect: 100-continue" for a body above 1 MiB and
// waits up to 1 s for the "100 Continue" before it sends the body anyway.
struct CurlUpload {
  long status = 0;
  double waitBeforeTheBody = 0;
  double total = 0;
};

double SecondsOfDay(const std::string& clock) {  // "02:06:07.826659"
  return std::stoi(clock.substr(0, 2)) * 3600.0 + std::stoi(clock.substr(3, 2)) * 60.0 +
         std::stod(clock.substr(6));
}

CurlUpload UploadWithCurl(const std::string& url, const fs::path& body, const fs::path& trace) {
  const CommandResult result = RunCommand(
      "curl --silent --show-error --noproxy '*' --max-time 60 --user " +
      ShellQuote(std::string(kAdminUser) + ":" + kAdminPassword) + " --trace-ascii " +
      ShellQuote(trace.string()) + " --trace-time -o /dev/null -H " +
      ShellQuote("Content-Type: " + StowContentType()) + " --data-binary @" +
      ShellQuote(body.string()) + " --write-out '%{http_code} %{time_total}' " + ShellQuote(url));
  if (result.exitCode != 0) throw std::runtime_error("curl failed: " + result.output);
  CurlUpload upload;
  std::istringstream(result.output) >> upload.status >> upload.total;
  std::ifstream lines(trace);
  const std::regex header(R"(^(\d\d:\d\d:\d\d\.\d+) => Send header)");
  const std::regex data(R"(^(\d\d:\d\d:\d\d\.\d+) => Send data)");
  std::string line, headerSent, dataSent;
  std::smatch match;
  while (std::getline(lines, line) && dataSent.empty()) {
    if (headerSent.empty() && std::regex_search(line, match, header)) headerSent = match[1];
    if (!headerSent.empty() && std::regex_search(line, match, data)) dataSent = match[1];
  }
  if (headerSent.empty() || dataSent.empty())
    throw std::runtime_error("no curl trace in " + trace.string());
  upload.waitBeforeTheBody = SecondsOfDay(dataSent) - SecondsOfDay(headerSent);
  return upload;
}

TEST_F(FrontLimitsTest, ExpectContinueIsAnsweredAtOnce) {
  TemporaryDirectory directory("mis-expect");
  const fs::path body = directory.Path() / "stow";
  const std::vector<fs::path> files = SampleVolumeFiles();
  std::ofstream(body, std::ios::binary)
      << StowBody(DicomParts(std::vector<fs::path>(files.begin(), files.begin() + 10)));
  ASSERT_GT(fs::file_size(body), 5'000'000u);

  // The front asks the plugin before it reads the body: with its memory of
  // this password warm, as for a client's second request, that check takes
  // no password hashing.
  ASSERT_EQ(Http().Get("/dicom-web/studies").status, 200);
  const CurlUpload front = UploadWithCurl(Server().BaseUrl() + "/dicom-web/studies", body,
                                          directory.Path() / "front.trace");
  const CurlUpload direct = UploadWithCurl(Server().DirectUrl() + "/dicom-web/studies", body,
                                           directory.Path() / "direct.trace");
  std::printf(
      "[ figures  ] %.1f MB STOW-RS with curl: through the front %.3f s before the body, "
      "%.3f s in all; straight to Orthanc %.3f s before the body, %.3f s in all\n",
      static_cast<double>(fs::file_size(body)) / 1e6, front.waitBeforeTheBody, front.total,
      direct.waitBeforeTheBody, direct.total);
  EXPECT_EQ(front.status, 200);
  EXPECT_LT(front.waitBeforeTheBody, 0.5) << "curl waited for a 100 Continue that did not come";
  // Orthanc alone never sends "100 Continue": curl's 1 s stall, which the
  // front's check above would catch.
  EXPECT_EQ(direct.status, 200);
  EXPECT_GE(direct.waitBeforeTheBody, 0.9);
}

// 200 idle connections, 50 clients sending one header line every 4 s and 50
// that declare a body and never send it: a normal client's /api/health still
// answers at once, and neither Orthanc's memory nor nginx's grows.
TEST_F(FrontLimitsTest, IdleAndSlowClientsDoNotHoldTheServer) {
  const HttpClient probe(Server().BaseUrl(), std::chrono::seconds(3));
  ASSERT_EQ(probe.Get("/api/health").status, 200);
  const Memory before = MeasureMemory(Server());

  LingeringClients clients(Server().HttpPort(), 200, 50, 50);
  const auto start = Clock::now();
  auto nextLine = start + std::chrono::seconds(4);
  double slowest = 0;
  int probes = 0;
  Memory during;
  while (Clock::now() - start < std::chrono::seconds(10)) {
    if (Clock::now() >= nextLine) {
      EXPECT_EQ(clients.Trickle(), 50u) << "the front cut a slow client off early";
      nextLine += std::chrono::seconds(4);
    }
    const auto sent = Clock::now();
    long status = 0;
    try {
      status = probe.Get("/api/health").status;
    } catch (const std::runtime_error& error) {
      ADD_FAILURE() << "no answer: " << error.what();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
    EXPECT_EQ(status, 200);
    EXPECT_LT(seconds, 1.0);
    slowest = std::max(slowest, seconds);
    ++probes;
    const Memory now = MeasureMemory(Server());
    during.orthanc = std::max(during.orthanc, now.orthanc);
    during.nginx = std::max(during.nginx, now.nginx);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::printf(
      "[ figures  ] 200 idle + 50 slow + 50 unsent-body clients for 10 s: /api/health "
      "slowest of %d probes %.1f ms; RSS before / highest during (KiB): Orthanc %ld / "
      "%ld, nginx (%zu processes) %ld / %ld\n",
      probes, slowest * 1000, before.orthanc, during.orthanc, Server().Front()->Pids().size(),
      before.nginx, during.nginx);
  EXPECT_LT(during.orthanc - before.orthanc, 16 * 1024) << "Orthanc's memory grew";
  EXPECT_LT(during.nginx - before.nginx, 32 * 1024) << "nginx's memory grew";
}

// What the test above would catch: the same idle clients straight to Orthanc
// take its HTTP threads, and /api/health no longer answers.
TEST_F(FrontLimitsTest, StraightToOrthancIdleClientsHoldItsThreads) {
  const HttpClient probe(Server().DirectUrl(), std::chrono::seconds(1));
  {
    LingeringClients clients(Server().DirectPort(), 200, 50, 0);
    const auto sent = Clock::now();
    bool answered = false;
    try {
      answered = probe.Get("/api/health").status == 200;
    } catch (const std::runtime_error&) {
      // no answer within the second
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
    std::printf("[ figures  ] the same clients straight to Orthanc: /api/health %s after %.0f ms\n",
                answered ? "answered" : "unanswered", seconds * 1000);
    EXPECT_FALSE(answered);
  }
  // The connections closed, Orthanc answers again.
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  bool recovered = false;
  while (!recovered && Clock::now() < deadline) {
    try {
      recovered = probe.Get("/api/health").status == 200;
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_TRUE(recovered);
}

}  // namespace
}  // namespace mis::test
