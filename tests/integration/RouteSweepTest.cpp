// One gate for everything: each route below, written by hand here (never
// generated from the code under test), is refused without credentials — 401
// JSON with the Bearer challenge from our routes, 401 JSON with the Basic
// challenge from the front for Orthanc's — and gets through with a session
// cookie, a bearer token and HTTP Basic alike. Straight to Orthanc, behind
// the front, the plugin's filter still refuses Orthanc's routes (with a bare
// 403: the only answer it has there).

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "AuthHelpers.h"
#include "ServerSuite.h"
#include "TestData.h"

namespace mis::test {
namespace {

enum class Owner { kOurs, kOrthanc };

struct SweptRoute {
  std::string method;
  std::string path;
  Owner owner;
  std::string contentType;
  std::string body;
};

std::string Stow(const std::string& dicom) {
  const std::string boundary = "sweep-boundary-7d3f";
  return "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n" + dicom + "\r\n--" +
         boundary + "--\r\n";
}

std::vector<SweptRoute> Routes() {
  const std::string dicom = ReadFileBytes(SampleSlicePath());
  const std::string find = R"({"Level":"Patient","Query":{}})";
  const std::string stowType = "multipart/related; type=\"application/dicom\"; boundary=sweep-boundary-7d3f";
  return {
      // Orthanc's REST API
      {"GET", "/system", Owner::kOrthanc, "", ""},
      {"GET", "/statistics", Owner::kOrthanc, "", ""},
      {"GET", "/patients", Owner::kOrthanc, "", ""},
      {"GET", "/studies", Owner::kOrthanc, "", ""},
      {"GET", "/series?expand", Owner::kOrthanc, "", ""},
      {"GET", "/instances", Owner::kOrthanc, "", ""},
      {"GET", "/changes", Owner::kOrthanc, "", ""},
      {"GET", "/plugins", Owner::kOrthanc, "", ""},
      {"GET", "/modalities", Owner::kOrthanc, "", ""},
      {"GET", "/jobs", Owner::kOrthanc, "", ""},
      {"GET", "/tools/now", Owner::kOrthanc, "", ""},
      {"GET", "/tools/dicom-conformance", Owner::kOrthanc, "", ""},
      {"POST", "/tools/find", Owner::kOrthanc, "application/json", find},
      {"POST", "/tools/lookup", Owner::kOrthanc, "text/plain", "1.2.3"},
      {"POST", "/instances", Owner::kOrthanc, "application/dicom", dicom},
      {"DELETE", "/patients/0000000-unknown", Owner::kOrthanc, "", ""},
      {"DELETE", "/instances/0000000-unknown", Owner::kOrthanc, "", ""},
      {"GET", "/app/explorer.html", Owner::kOrthanc, "", ""},
      // DICOMweb: QIDO, WADO, STOW
      {"GET", "/dicom-web/studies", Owner::kOrthanc, "", ""},
      {"GET", "/dicom-web/series", Owner::kOrthanc, "", ""},
      {"GET", "/dicom-web/instances?PatientID=LUNG1-001", Owner::kOrthanc, "", ""},
      {"GET", "/dicom-web/studies/1.2.3/metadata", Owner::kOrthanc, "", ""},
      {"GET", "/dicom-web/studies/1.2.3/series/4.5.6/instances/7.8.9", Owner::kOrthanc, "", ""},
      {"POST", "/dicom-web/studies", Owner::kOrthanc, stowType, Stow(dicom)},
      // Ours
      {"GET", "/api/auth/me", Owner::kOurs, "", ""},
      {"POST", "/api/volume", Owner::kOurs, "application/dicom", dicom},
      {"PUT", "/api/volume", Owner::kOurs, "application/dicom", dicom},
      {"POST", "/api/volume/store", Owner::kOurs, "application/dicom", dicom},
      {"GET", "/api/audit", Owner::kOurs, "", ""},
      {"GET", "/api/default-series", Owner::kOurs, "", ""},
      {"GET", "/api/openapi.json", Owner::kOurs, "", ""},
      {"POST", "/api/auth/logout", Owner::kOurs, "", ""},  // last: it ends the session
  };
}

HttpHeaders WithContentType(HttpHeaders headers, const SweptRoute& route) {
  if (!route.contentType.empty()) headers.emplace_back("Content-Type", route.contentType);
  return headers;
}

enum class Via { kFront, kOrthancDirectly };

class RouteSweepTest : public ServerSuite {
 protected:
  // Refused without (or with wrong) credentials, with the status of the
  // owner, or of the front before it.
  static void ExpectRefused(Via via, const HttpHeaders& headers, const std::string& how,
                            const std::optional<std::pair<std::string, std::string>>& basic = {}) {
    HttpClient client = via == Via::kFront ? Server().AnonymousHttp()
                                           : Server().DirectHttp().Anonymous();
    if (basic) client = client.WithBasicAuth(basic->first, basic->second);
    for (const SweptRoute& route : Routes()) {
      const HttpResponse response =
          client.Request(route.method, route.path, WithContentType(headers, route), route.body);
      const std::string what = how + (via == Via::kFront ? " (front): " : " (direct): ") +
                               route.method + " " + route.path;
      if (route.owner == Owner::kOurs) {
        EXPECT_EQ(response.status, 401) << what;
        EXPECT_EQ(response.Header("content-type"), "application/json") << what;
        EXPECT_EQ(response.Header("www-authenticate"), kBearerChallenge) << what;
      } else if (via == Via::kFront) {
        EXPECT_EQ(response.status, 401) << what;
        EXPECT_EQ(response.Header("www-authenticate"), kBasicChallenge) << what;
        EXPECT_EQ(response.Json()["error"].asString(), "unauthenticated") << what;
      } else {
        EXPECT_EQ(response.status, 403) << what;
        EXPECT_TRUE(response.body.empty()) << what;
      }
    }
  }

  static void ExpectAllowed(const HttpClient& client, const HttpHeaders& headers,
                            const std::string& how) {
    for (const SweptRoute& route : Routes()) {
      const HttpResponse response =
          client.Request(route.method, route.path, WithContentType(headers, route), route.body);
      const std::string what = how + ": " + route.method + " " + route.path + " -> " +
                               std::to_string(response.status) + " " + response.body.substr(0, 200);
      EXPECT_NE(response.status, 401) << what;
      EXPECT_NE(response.status, 403) << what;
      EXPECT_LT(response.status, 500) << what;
    }
  }
};

TEST_F(RouteSweepTest, TheListCoversEnoughRoutes) { EXPECT_GE(Routes().size(), 25u); }

TEST_F(RouteSweepTest, WithoutCredentialsEverythingIsRefused) {
  ExpectRefused(Via::kFront, {}, "no credentials");
  EXPECT_EQ(Http().Get("/instances").Json().size(), 0u) << "nothing was stored";
}

// Defence in depth: whoever reaches Orthanc's port, past the front, is refused too.
TEST_F(RouteSweepTest, StraightToOrthancWithoutCredentialsEverythingIsRefused) {
  ExpectRefused(Via::kOrthancDirectly, {}, "no credentials");
  EXPECT_EQ(Http().Get("/instances").Json().size(), 0u) << "nothing was stored";
}

TEST_F(RouteSweepTest, WrongCredentialsAreRefused) {
  for (const Via via : {Via::kFront, Via::kOrthancDirectly}) {
    ExpectRefused(via, {{"Cookie", "mis_session=forged"}}, "forged cookie");
    ExpectRefused(via, {{"Authorization", "Bearer forged-token"}}, "forged bearer");
    // Not the admin name: its failures would lock the administrator out for a minute.
    ExpectRefused(via, {}, "wrong Basic", std::make_pair("nobody-here", "wrong-password"));
  }
}

TEST_F(RouteSweepTest, SessionCookieGetsThrough) {
  const std::string cookie = SessionCookie(Login(Server(), kAdminUser, kAdminPassword));
  ExpectAllowed(Server().AnonymousHttp(), {{"Cookie", cookie}}, "session");
}

TEST_F(RouteSweepTest, BearerTokenGetsThrough) {
  const std::string token = CreateApiToken(Server(), kAdminUser);
  ExpectAllowed(Server().AnonymousHttp(), {{"Authorization", "Bearer " + token}}, "bearer");
}

TEST_F(RouteSweepTest, BasicGetsThrough) { ExpectAllowed(Http(), {}, "Basic"); }

TEST_F(RouteSweepTest, PublicRoutesNeedNothing) {
  EXPECT_EQ(Server().AnonymousHttp().Get("/api/health").status, 200);
  const HttpResponse login = Login(Server(), kAdminUser, kAdminPassword);
  EXPECT_EQ(login.status, 200);
}

}  // namespace
}  // namespace mis::test
