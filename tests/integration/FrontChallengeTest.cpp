// The HTTP front's answers to who may do what (issue 15): Orthanc's REST API
// and DICOMweb answer a missing or wrong password with 401 and the Basic
// challenge that clients answer, an authenticated user who may not with 403;
// our /api routes keep their Bearer challenge; a page's own scripts get no
// Basic challenge (no browser dialog over the UI); Orthanc's own port,
// bypassing the front, still refuses.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "AuthHelpers.h"
#include "ServerSuite.h"
#include "TestData.h"

namespace mis::test {
namespace {

constexpr const char* kUser = "front-user";
constexpr const char* kUserPassword = "front-user-password-1";

// Orthanc's routes, DICOMweb and WADO-URI: what PACS tools and scripts reach.
const std::vector<std::string> kOrthancTargets = {"/patients",
                                                  "/system",
                                                  "/app/explorer.html",
                                                  "/dicom-web/studies",
                                                  "/dicom-web/studies/1.2.3/series",
                                                  "/wado?requestType=WADO&studyUID=1.2.3"};

class FrontChallengeTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    StartServer();
    AddUser(Server(), kUser, kUserPassword);
  }

 protected:
  static HttpClient User() { return Server().AnonymousHttp().WithBasicAuth(kUser, kUserPassword); }

  static void ExpectChallenged(const HttpResponse& response, const std::string& what) {
    EXPECT_EQ(response.status, 401) << what << ": " << response.body;
    EXPECT_EQ(response.Header("www-authenticate"), kBasicChallenge) << what;
    EXPECT_EQ(response.Header("content-type"), "application/json") << what;
    EXPECT_EQ(response.Json()["error"].asString(), "unauthenticated") << what;
  }
};

TEST_F(FrontChallengeTest, NoCredentialsOnOrthancsRoutesGet401WithTheBasicChallenge) {
  for (const std::string& target : kOrthancTargets) {
    ExpectChallenged(Server().AnonymousHttp().Get(target), "GET " + target);
  }
  // Writes too, before any of the body is used.
  ExpectChallenged(Server().AnonymousHttp().Post("/instances", ReadFileBytes(SampleSlicePath()),
                                                 "application/dicom"),
                   "POST /instances");
  EXPECT_EQ(Http().Get("/instances").Json().size(), 0u) << "nothing was stored";
}

TEST_F(FrontChallengeTest, WrongCredentialsGet401WithTheChallengeAgain) {
  // Another user and another client address than the other tests': the
  // failed logins lock that name and address out for a minute.
  AddUser(Server(), "mistyped", "mistyped-password-1");
  const HttpClient elsewhere = Server().AnonymousHttp().FromAddress("127.0.0.2");
  const std::vector<std::pair<std::string, HttpClient>> wrong = {
      {"wrong password", elsewhere.WithBasicAuth("mistyped", "not-the-password")},
      {"unknown user", elsewhere.WithBasicAuth("nobody-here", "whatever-1")},
  };
  for (const auto& [how, client] : wrong) {
    for (const std::string& target : kOrthancTargets) {
      ExpectChallenged(client.Get(target), how + ": " + target);
    }
  }
  for (const HttpHeaders& headers : {HttpHeaders{{"Authorization", "Bearer not-a-token"}},
                                     HttpHeaders{{"Cookie", "mis_session=forged"}}}) {
    ExpectChallenged(Server().AnonymousHttp().Get("/dicom-web/studies", headers),
                     headers.front().second);
  }
}

TEST_F(FrontChallengeTest, AuthenticatedButNotAllowedGets403WithoutAChallenge) {
  ASSERT_EQ(User().Get("/patients").status, 200);
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"DELETE", "/patients/no-such-patient"},
                                                        {"POST", "/tools/reset"},
                                                        {"PUT", "/modalities/rogue"}}) {
    const HttpResponse refused = User().Request(method, target);
    EXPECT_EQ(refused.status, 403) << method << " " << target << ": " << refused.body;
    EXPECT_FALSE(refused.HasHeader("www-authenticate")) << method << " " << target;
    EXPECT_EQ(refused.Json()["error"].asString(), "forbidden") << method << " " << target;
  }
  // The administrator may: the 403 is about the user, not the route.
  EXPECT_EQ(Http().Request("DELETE", "/patients/no-such-patient").status, 404);
}

TEST_F(FrontChallengeTest, ApiRoutesKeepTheirBearerChallenge) {
  for (const char* path : {"/api/auth/me", "/api/default-series", "/api/audit"}) {
    const HttpResponse response = Server().AnonymousHttp().Get(path);
    EXPECT_EQ(response.status, 401) << path;
    EXPECT_EQ(response.Header("www-authenticate"), kBearerChallenge) << path;
    EXPECT_EQ(response.Json()["error"].asString(), "unauthenticated") << path;
  }
  // Public routes stay public.
  EXPECT_EQ(Server().AnonymousHttp().Get("/api/health").status, 200);
  EXPECT_EQ(Login(Server(), kUser, kUserPassword).status, 200);
}

// The UI's fetches (Sec-Fetch-Mode cors, same-origin) get the 401 without the
// challenge, which would open the browser's own password dialog; a page the
// user opens (navigate) gets it.
TEST_F(FrontChallengeTest, APagesOwnScriptsGetNoBasicChallenge) {
  for (const char* mode : {"cors", "same-origin", "no-cors"}) {
    const HttpResponse fromScript =
        Server().AnonymousHttp().Get("/series", {{"Sec-Fetch-Mode", mode}});
    EXPECT_EQ(fromScript.status, 401) << mode;
    EXPECT_FALSE(fromScript.HasHeader("www-authenticate")) << mode;
  }
  ExpectChallenged(Server().AnonymousHttp().Get("/series", {{"Sec-Fetch-Mode", "navigate"}}),
                   "navigate");
  // The UI itself is served to everyone.
  const HttpResponse page = Server().AnonymousHttp().Get("/ui/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<title>"), std::string::npos) << page.body.substr(0, 200);
}

// Defence in depth: Orthanc's port, bypassing the front, refuses as before
// (the filter's bare 403), and stores nothing.
TEST_F(FrontChallengeTest, StraightToOrthancWithoutCredentialsIsStillRefused) {
  const HttpClient direct = Server().DirectHttp().Anonymous();
  for (const std::string& target : kOrthancTargets) {
    const HttpResponse response = direct.Get(target);
    EXPECT_EQ(response.status, 403) << target;
    EXPECT_FALSE(response.HasHeader("www-authenticate")) << target;
  }
  EXPECT_EQ(direct.Post("/instances", ReadFileBytes(SampleSlicePath()), "application/dicom").status,
            403);
  EXPECT_EQ(Http().Get("/instances").Json().size(), 0u) << "nothing was stored";
}

}  // namespace
}  // namespace mis::test
