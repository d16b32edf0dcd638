// JSON nested deeper than the server's HTTP threads can parse (issue 16, item
// 1): 300 levels of "[" POSTed to /api/auth/login ended the process, without
// logging in; a logged-in user could do the same through Orthanc's own JSON
// routes. Now our routes refuse it in the plugin (ReadJsonText, 64 levels) and
// the front refuses it for Orthanc's and DICOMweb's routes before Orthanc
// reads the body (orthanc-config/front/body-checks.mjs). After each test the
// server must still run.

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "ServerSuite.h"

namespace mis::test {
namespace {

constexpr unsigned kMaxDepth = 64;  // kMaxJsonDepth and body-checks.mjs's MAX_DEPTH

std::string NestedArrays(unsigned levels) {
  return std::string(levels, '[') + "1" + std::string(levels, ']');
}

// A /tools/find query whose Query nests `levels` arrays in all.
std::string DeepFind(unsigned levels) {
  return R"({"Level": "Patient", "Query": {"PatientID": )" + NestedArrays(levels - 2) + "}}";
}

// ServerSuite fails a test after which the server no longer runs.
class DeepJsonTest : public ServerSuite {};

TEST_F(DeepJsonTest, LoginRefusesDeepJsonThroughTheFrontAndDirectly) {
  for (const HttpClient& client :
       {Server().AnonymousHttp(), Server().DirectHttp().Anonymous()}) {
    for (const unsigned levels : {kMaxDepth + 1, 300u, 30'000u}) {  // 30,000: within 64 KiB
      const HttpResponse answer =
          client.Post("/api/auth/login", NestedArrays(levels), "application/json");
      EXPECT_EQ(answer.status, 400) << levels << " levels: " << answer.body;
      EXPECT_EQ(answer.Json()["error"].asString(), "bad_request");
      ASSERT_TRUE(Server().IsRunning()) << "the server died on " << levels << " levels";
    }
  }
}

TEST_F(DeepJsonTest, FrontRefusesDeepJsonForOrthancsRoutes) {
  // Orthanc's JSON routes parse a body whatever its Content-Type says.
  for (const char* contentType : {"application/json", "application/octet-stream", "text/plain"}) {
    for (const auto& [method, path, body] :
         {std::make_tuple("POST", "/tools/find", DeepFind(300)),
          std::make_tuple("POST", "/tools/find", DeepFind(kMaxDepth + 1)),
          std::make_tuple("PUT", "/modalities/deep", NestedArrays(300)),
          std::make_tuple("POST", "/tools/create-dicom", NestedArrays(300)),
          std::make_tuple("PUT", "/dicom-web/servers/deep", NestedArrays(300))}) {
      SCOPED_TRACE(std::string(method) + " " + path + " as " + contentType);
      const HttpResponse answer = Http().Request(method, path, {{"Content-Type", contentType}}, body);
      EXPECT_EQ(answer.status, 400) << answer.body;
      EXPECT_EQ(answer.Json()["error"].asString(), "json_too_deep");
      EXPECT_EQ(answer.Json()["max_depth"].asUInt(), kMaxDepth);
      ASSERT_TRUE(Server().IsRunning());
    }
  }
}

TEST_F(DeepJsonTest, NestingWithinTheBoundReachesOrthanc) {
  const HttpResponse found =
      Http().Post("/tools/find", DeepFind(kMaxDepth), "application/json");
  // Orthanc's own verdict on a query it parsed (not the front's 400).
  EXPECT_NE(found.Json().get("error", "").asString(), "json_too_deep") << found.body;
  const HttpResponse plain = Http().Post(
      "/tools/find", R"({"Level": "Patient", "Query": {}, "Expand": false})", "application/json");
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_TRUE(plain.Json().isArray());
}

TEST_F(DeepJsonTest, CredentialsAreAskedForBeforeTheBodyIsRead) {
  const HttpResponse anonymous =
      Server().AnonymousHttp().Post("/tools/find", DeepFind(300), "application/json");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
}

}  // namespace
}  // namespace mis::test
