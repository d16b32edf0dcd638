// The access decision over every combination of access level, credentials,
// method (with overrides) and Origin (PolicyCases.h), against the README's
// rules, with a real Authenticator and SQLite store. One test per level.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "AccessPolicy.h"
#include "PolicyCases.h"
#include "PolicyWorld.h"

namespace mis::test {
namespace {

const char* HowName(AuthMethod how) {
  switch (how) {
    case AuthMethod::kSession: return "session";
    case AuthMethod::kBearer: return "bearer";
    case AuthMethod::kBasic: return "basic";
    case AuthMethod::kNone: return "none";
  }
  return "?";
}

std::string Describe(const LevelCase& level, const CredentialCase& credentials,
                     const MethodCase& method, const OriginCase& origin) {
  std::ostringstream text;
  text << level.name << " " << level.path << ", " << credentials.name << ", " << method.method;
  if (*method.methodOverride != '\0') text << " X-HTTP-Method-Override: " << method.methodOverride;
  if (*method.queryMethod != '\0') text << " ?_method=" << method.queryMethod;
  text << ", Origin '" << origin.origin << "' Host '" << origin.host << "'";
  return text.str();
}

std::string Describe(int status, const std::string& code, const std::string& user,
                     AuthMethod how) {
  return std::to_string(status) + " " + (code.empty() ? user + " by " + HowName(how) : code);
}

// Runs every combination for one level; returns how many it ran.
size_t CheckLevel(const LevelCase& level) {
  constexpr size_t kReportedFailures = 10;
  PolicyWorld world;
  size_t cases = 0;
  size_t failures = 0;
  for (const CredentialCase& credentials : CredentialCases()) {
    for (const MethodCase& method : MethodCases()) {
      for (const OriginCase& origin : OriginCases()) {
        ++cases;
        const RequestFacts facts =
            world.Request(credentials.kind, method.method, method.methodOverride,
                          method.queryMethod, level.path, origin.origin, origin.host);
        const AccessDecision got = DecideAccess(facts, level.access, world.Verifier());
        const ExpectedDecision want = ReadmeDecision(level, credentials, method, origin);

        const std::string gotUser = got.identity ? got.identity->name : "";
        bool same = got.Status() == want.status && got.code == want.code && gotUser == want.user &&
                    got.authenticatedBy == want.how;
        if (got.Allowed()) {
          same = same && got.effectiveMethod == method.effective &&
                 (!got.identity || got.identity->IsAdmin() == credentials.admin);
        }
        if (!same && ++failures <= kReportedFailures) {
          ADD_FAILURE() << Describe(level, credentials, method, origin) << ": expected "
                        << Describe(want.status, want.code, want.user, want.how) << ", got "
                        << Describe(got.Status(), got.code, gotUser, got.authenticatedBy);
        }
      }
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << cases << " cases (the first " << kReportedFailures
                          << " are shown)";
  std::cout << level.name << " " << level.path << ": " << cases << " cases" << std::endl;
  return cases;
}

const LevelCase& Level(Access access, const std::string& path) {
  for (const LevelCase& level : LevelCases()) {
    if (level.access == access && level.path == path) return level;
  }
  throw std::logic_error("no such level case");
}

TEST(AccessPolicyMatrix, PublicRoutesNeedNothing) {
  CheckLevel(Level(Access::kPublic, "/api/health"));
}

TEST(AccessPolicyMatrix, UserRoutes) { CheckLevel(Level(Access::kUser, "/api/volume")); }

TEST(AccessPolicyMatrix, AdminRoutes) { CheckLevel(Level(Access::kAdmin, "/api/audit")); }

TEST(AccessPolicyMatrix, OrthancResourcesAreReadOnlyForUsers) {
  CheckLevel(Level(Access::kOrthanc, "/patients/abc"));
}

TEST(AccessPolicyMatrix, OrthancUploadsAreOpenToUsers) {
  CheckLevel(Level(Access::kOrthanc, "/instances"));
}

// Every level has a test above, and the matrix is as large as its tables.
TEST(AccessPolicyMatrix, CoversEveryLevel) {
  EXPECT_EQ(LevelCases().size(), 5u);
  const size_t perLevel = CredentialCases().size() * MethodCases().size() * OriginCases().size();
  std::cout << LevelCases().size() << " levels x " << CredentialCases().size() << " credentials x "
            << MethodCases().size() << " methods x " << OriginCases().size()
            << " origins = " << LevelCases().size() * perLevel << " cases" << std::endl;
}

}  // namespace
}  // namespace mis::test
