// The authentication policy with a fake clock and a real SQLite store.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "Authenticator.h"
#include "Secrets.h"
#include "SqliteUserStore.h"
#include "TemporaryFile.h"

namespace mis {
namespace {

constexpr const char* kClient = "10.0.0.1";

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.AddUser("alice", HashPassword("alice-password"), "user", 0);
    store_.AddUser("root", HashPassword("root-password"), "admin", 0);
  }

  Authenticator Make(AuthSettings settings = {}) {
    return Authenticator(
        store_, settings, [this] { return now_; },
        [this](const std::string& hash, const std::string& password) {
          ++passwordChecks_;
          return VerifyPassword(hash, password);
        });
  }

  test::TemporaryFolder folder_;
  SqliteUserStore store_{folder_.File("users.sqlite")};
  int64_t now_ = 1000000;
  std::atomic<int> passwordChecks_{0};
};

TEST_F(AuthenticatorTest, LoginGivesASessionWhoseDigestOnlyIsStored) {
  Authenticator auth = Make();
  const LoginOutcome outcome = auth.Login("alice", "alice-password", kClient);
  ASSERT_EQ(outcome.status, LoginOutcome::Status::kOk);
  EXPECT_EQ(outcome.identity.name, "alice");
  EXPECT_EQ(outcome.sessionToken.size(), 43u);
  EXPECT_FALSE(store_.FindSession(outcome.sessionToken));  // not stored in clear
  EXPECT_TRUE(store_.FindSession(TokenDigest(outcome.sessionToken)));
  const auto identity = auth.CheckSession(outcome.sessionToken);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->name, "alice");
  EXPECT_FALSE(auth.CheckSession("forged-token"));
}

TEST_F(AuthenticatorTest, UnknownUserAndWrongPasswordLookTheSame) {
  Authenticator auth = Make();
  const LoginOutcome wrong = auth.Login("alice", "nope", kClient);
  const LoginOutcome unknown = auth.Login("mallory", "nope", kClient);
  EXPECT_EQ(wrong.status, LoginOutcome::Status::kInvalid);
  EXPECT_EQ(unknown.status, LoginOutcome::Status::kInvalid);
  EXPECT_TRUE(wrong.sessionToken.empty());
  EXPECT_TRUE(unknown.sessionToken.empty());
  // Both cost one Argon2id verification (the unknown one against a decoy).
  EXPECT_EQ(passwordChecks_.load(), 2);
}

TEST_F(AuthenticatorTest, HugeOrHostileInputIsJustAWrongLogin) {
  Authenticator auth = Make();
  const std::string huge(10 * 1024, 'a');
  EXPECT_EQ(auth.Login(huge, "x", kClient).status, LoginOutcome::Status::kInvalid);
  EXPECT_EQ(auth.Login("alice", huge, kClient).status, LoginOutcome::Status::kInvalid);
  EXPECT_EQ(auth.Login("' OR '1'='1", "' OR '1'='1", kClient).status,
            LoginOutcome::Status::kInvalid);
  EXPECT_EQ(store_.CountUsers(), 2);
}

TEST_F(AuthenticatorTest, SixthWrongLoginInAMinuteIsRefusedEvenWithTheRightPassword) {
  Authenticator auth = Make();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(auth.Login("alice", "wrong", kClient).status, LoginOutcome::Status::kInvalid);
    now_ += 1;
  }
  const LoginOutcome blocked = auth.Login("alice", "alice-password", kClient);
  EXPECT_EQ(blocked.status, LoginOutcome::Status::kRateLimited);
  // The first failure was 5 s ago: it leaves the 60 s window in 55 s.
  EXPECT_EQ(blocked.retryAfterSeconds, 55);
  now_ += 55;
  EXPECT_EQ(auth.Login("alice", "alice-password", kClient).status, LoginOutcome::Status::kOk);
}

TEST_F(AuthenticatorTest, SessionsExpireWhenIdle) {
  AuthSettings settings;
  settings.sessionIdleSeconds = 600;
  Authenticator auth = Make(settings);
  const std::string token = auth.Login("alice", "alice-password", kClient).sessionToken;
  now_ += 500;
  EXPECT_TRUE(auth.CheckSession(token));  // use refreshes the idle clock
  now_ += 500;
  EXPECT_TRUE(auth.CheckSession(token));
  now_ += 601;
  EXPECT_FALSE(auth.CheckSession(token));
  EXPECT_FALSE(store_.FindSession(TokenDigest(token)));  // and it is gone
}

TEST_F(AuthenticatorTest, LastSeenIsWrittenAtMostOncePerTouchInterval) {
  AuthSettings settings;
  settings.sessionTouchSeconds = 60;
  Authenticator auth = Make(settings);
  const std::string token = auth.Login("alice", "alice-password", kClient).sessionToken;
  const int64_t created = now_;
  now_ += 30;
  auth.CheckSession(token);
  EXPECT_EQ(store_.FindSession(TokenDigest(token))->lastSeen, created);
  now_ += 31;
  auth.CheckSession(token);
  EXPECT_EQ(store_.FindSession(TokenDigest(token))->lastSeen, now_);
}

TEST_F(AuthenticatorTest, LogoutRevokesOnTheServer) {
  Authenticator auth = Make();
  const std::string token = auth.Login("alice", "alice-password", kClient).sessionToken;
  auth.Logout(token, kClient);
  EXPECT_FALSE(auth.CheckSession(token));
}

TEST_F(AuthenticatorTest, CheckedCredentialsAreTrustedFromMemoryBriefly) {
  AuthSettings settings;
  settings.credentialCacheSeconds = 2;
  Authenticator auth = Make(settings);
  const std::string session = auth.Login("alice", "alice-password", kClient).sessionToken;
  const std::string token = NewSecretToken();
  const int64_t tokenId =
      store_.CreateApiToken(TokenDigest(token), store_.FindUser("root")->id, "", now_);
  ASSERT_TRUE(auth.CheckSession(session));
  ASSERT_TRUE(auth.CheckApiToken(token));
  // Revoked behind this server's back (another server, the users tool):
  store_.DeleteSession(TokenDigest(session));
  store_.RevokeApiToken(tokenId);
  now_ += 1;
  EXPECT_TRUE(auth.CheckSession(session));  // still within the 2 s
  EXPECT_TRUE(auth.CheckApiToken(token));
  now_ += 1;
  EXPECT_FALSE(auth.CheckSession(session));
  EXPECT_FALSE(auth.CheckApiToken(token));
}

TEST_F(AuthenticatorTest, WithoutTheMemoryEveryCheckAsksTheDatabase) {
  AuthSettings settings;
  settings.credentialCacheSeconds = 0;
  Authenticator auth = Make(settings);
  const std::string session = auth.Login("alice", "alice-password", kClient).sessionToken;
  ASSERT_TRUE(auth.CheckSession(session));
  store_.DeleteSession(TokenDigest(session));
  EXPECT_FALSE(auth.CheckSession(session));
}

TEST_F(AuthenticatorTest, ApiTokens) {
  Authenticator auth = Make();
  const std::string token = NewSecretToken();
  store_.CreateApiToken(TokenDigest(token), store_.FindUser("root")->id, "pacs", now_);
  const auto identity = auth.CheckApiToken(token);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->name, "root");
  EXPECT_FALSE(auth.CheckApiToken(NewSecretToken()));
  EXPECT_FALSE(auth.CheckApiToken(""));
}

TEST_F(AuthenticatorTest, BasicIsCachedBrieflyAndDropsAChangedPassword) {
  AuthSettings settings;
  settings.basicCacheSeconds = 60;
  Authenticator auth = Make(settings);
  ASSERT_TRUE(auth.CheckBasic("alice", "alice-password", kClient));
  ASSERT_TRUE(auth.CheckBasic("alice", "alice-password", kClient));
  EXPECT_EQ(passwordChecks_.load(), 1);  // the second one came from the cache
  now_ += 61;
  ASSERT_TRUE(auth.CheckBasic("alice", "alice-password", kClient));
  EXPECT_EQ(passwordChecks_.load(), 2);  // expired: verified again
  store_.SetPassword("alice", HashPassword("new-password"));
  EXPECT_FALSE(auth.CheckBasic("alice", "alice-password", kClient));
  EXPECT_TRUE(auth.CheckBasic("alice", "new-password", kClient));
  EXPECT_FALSE(auth.CheckBasic("alice", "wrong", kClient));
}

TEST_F(AuthenticatorTest, BasicFailuresAreRateLimitedToo) {
  Authenticator auth = Make();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth.CheckBasic("alice", "guess", kClient));
  EXPECT_FALSE(auth.CheckBasic("alice", "alice-password", kClient));
}

// A DICOMweb client opening 16 connections at once with a pair the server
// has not verified yet: one Argon2id for all of them, not 16 in a queue that
// refuses most (make test found 11 of 16 uploads refused with login_busy).
TEST_F(AuthenticatorTest, ConcurrentRequestsWithTheSamePairShareOneVerification) {
  std::atomic<int> waiting{0};
  Authenticator auth(
      store_, AuthSettings{}, [this] { return now_; },
      [&](const std::string& hash, const std::string& password) {
        ++passwordChecks_;
        // Long enough for every caller to arrive while the first is verifying.
        while (waiting.load() < 16) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return VerifyPassword(hash, password);
      });
  std::vector<std::thread> callers;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 16; ++i) {
    callers.emplace_back([&] {
      ++waiting;
      if (auth.CheckBasic("alice", "alice-password", kClient)) ++accepted;
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(accepted.load(), 16);
  EXPECT_EQ(passwordChecks_.load(), 1);
}

// Issue 16, item 4: while the right pair was cached, wrong Basic guesses
// went on and the right pair was still accepted, though the login refused it.
TEST_F(AuthenticatorTest, ALockoutHoldsForACachedBasicPairAndTheLogin) {
  AuthSettings settings;
  settings.basicCacheSeconds = 60;
  Authenticator auth = Make(settings);
  ASSERT_TRUE(auth.CheckBasic("alice", "alice-password", kClient));  // cached now
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth.CheckBasic("alice", "guess-" + std::to_string(i), kClient));
  const int checks = passwordChecks_.load();
  EXPECT_FALSE(auth.CheckBasic("alice", "alice-password", kClient)) << "the cache outlasted the lockout";
  EXPECT_FALSE(auth.CheckBasic("alice", "guess-5", kClient));
  EXPECT_EQ(passwordChecks_.load(), checks) << "a locked-out name still had passwords checked";
  EXPECT_EQ(auth.Login("alice", "alice-password", kClient).status,
            LoginOutcome::Status::kRateLimited);
  // From another client too: the name is what is locked.
  EXPECT_FALSE(auth.CheckBasic("alice", "alice-password", "198.51.100.9"));
  now_ += 61;  // the window passes
  EXPECT_TRUE(auth.CheckBasic("alice", "alice-password", kClient));
}

TEST_F(AuthenticatorTest, AuthenticateTriesCookieThenBearerThenBasic) {
  Authenticator auth = Make();
  const std::string session = auth.Login("alice", "alice-password", kClient).sessionToken;
  const std::string token = NewSecretToken();
  store_.CreateApiToken(TokenDigest(token), store_.FindUser("root")->id, "", now_);

  AuthMethod method = AuthMethod::kNone;
  Credentials credentials;
  credentials.sessionToken = session;
  EXPECT_EQ(auth.Authenticate(credentials, kClient, &method)->name, "alice");
  EXPECT_EQ(method, AuthMethod::kSession);

  credentials.sessionToken = "expired-or-forged";
  credentials.bearerToken = token;
  EXPECT_EQ(auth.Authenticate(credentials, kClient, &method)->name, "root");
  EXPECT_EQ(method, AuthMethod::kBearer);

  credentials = Credentials{};
  credentials.hasBasic = true;
  credentials.basicUser = "alice";
  credentials.basicPassword = "alice-password";
  EXPECT_EQ(auth.Authenticate(credentials, kClient, &method)->name, "alice");
  EXPECT_EQ(method, AuthMethod::kBasic);

  EXPECT_FALSE(auth.Authenticate(Credentials{}, kClient, &method));
  EXPECT_EQ(method, AuthMethod::kNone);
}

TEST_F(AuthenticatorTest, LoginsAndLogoutsAreAudited) {
  Authenticator auth = Make();
  const std::string token = auth.Login("alice", "alice-password", kClient).sessionToken;
  auth.Login("mallory", "x", kClient);
  auth.Logout(token, kClient);
  const auto events = store_.ListAudit(0, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].action, "login");
  EXPECT_EQ(events[2].user, "alice");
  EXPECT_EQ(events[2].client, kClient);
  EXPECT_EQ(events[1].action, "login_failed");
  EXPECT_EQ(events[1].user, "mallory");
  EXPECT_EQ(events[0].action, "logout");
  EXPECT_EQ(events[0].user, "alice");
}

// Issue 16, item 9: 1,000 refused logins from one client added 1,000 rows.
// The limiter's refusals now count into one row a window; the checked
// failures before them stay one row each, as do Basic ones.
TEST_F(AuthenticatorTest, AFloodOfRefusalsIsOneCountedRowAWindow) {
  Authenticator auth = Make();
  for (int i = 0; i < 1000; ++i) auth.Login("user-" + std::to_string(i % 7), "x", kClient);
  auto events = store_.ListAudit(0, 100);
  // 7 names: the client's 20 failures come before any name's 5.
  ASSERT_EQ(events.size(), 21u);
  EXPECT_EQ(events[0].outcome, "rate_limited");
  EXPECT_EQ(events[0].count, 980);
  EXPECT_EQ(events[0].user, kSeveralUserNames);
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].outcome, "invalid_credentials");
    EXPECT_EQ(events[i].count, 1);
  }
  EXPECT_FALSE(auth.CheckBasic("alice", "alice-password", kClient));  // the client is locked out
  now_ += 61;  // the next window
  auth.Login("alice", "x", "10.9.9.9");
  EXPECT_FALSE(auth.CheckBasic("bob", "guess", "10.9.9.9"));
  events = store_.ListAudit(0, 3);
  EXPECT_EQ(events[0].route, "(HTTP Basic)");
  EXPECT_EQ(events[0].outcome, "invalid_credentials");
  EXPECT_EQ(events[0].user, "bob");
  EXPECT_EQ(events[1].route, "/api/auth/login");
  EXPECT_EQ(events[1].client, "10.9.9.9");
  EXPECT_EQ(events[2].route, "(HTTP Basic)");
  EXPECT_EQ(events[2].outcome, "rate_limited");
  EXPECT_EQ(events[2].client, kClient);
}

// A store that counts the sweeps of idle sessions that logins start.
class SweepCountingStore : public SqliteUserStore {
 public:
  using SqliteUserStore::SqliteUserStore;
  void DeleteSessionsIdleSince(int64_t cutoff) override {
    ++sweeps;
    SqliteUserStore::DeleteSessionsIdleSince(cutoff);
  }
  std::atomic<int> sweeps{0};
};

// Orthanc runs our routes on several HTTP threads at once (NoLock), so
// logins overlap: each must get its own session, and the sweep of idle
// sessions must run once per interval, not once per thread that saw it due.
// Under ThreadSanitizer this is also the test that shows any unsynchronised
// state in Login.
TEST_F(AuthenticatorTest, ConcurrentLoginsEachGetASessionAndSweepOncePerInterval) {
  constexpr int kThreads = 8;
  constexpr int kLoginsPerThread = 4;
  constexpr int kRounds = 3;
  constexpr int64_t kDay = 24 * 60 * 60;  // far beyond the sweep interval and the idle timeout
  SweepCountingStore store(folder_.File("concurrent.sqlite"));
  // A stand-in for Argon2id, whose 64 MiB per verification would only slow
  // the threads down: the sweep does not depend on it.
  store.AddUser("alice", "stand-in hash of alice-password", "user", 0);
  Authenticator auth(
      store, AuthSettings{}, [this] { return now_; },
      [](const std::string& hash, const std::string& password) {
        return hash == "stand-in hash of " + password;
      });

  std::vector<std::string> previousRound;
  for (int round = 1; round <= kRounds; ++round) {
    now_ += kDay;  // between rounds only: the threads read the clock, never write it
    std::vector<std::vector<LoginOutcome>> outcomes(kThreads);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();  // start together, to overlap
        for (int i = 0; i < kLoginsPerThread; ++i) {
          outcomes[t].push_back(auth.Login("alice", "alice-password", kClient));
        }
      });
    }
    go = true;
    for (std::thread& thread : threads) thread.join();

    std::set<std::string> tokens;
    for (const auto& ofThread : outcomes) {
      for (const LoginOutcome& outcome : ofThread) {
        EXPECT_EQ(outcome.status, LoginOutcome::Status::kOk);
        EXPECT_TRUE(store.FindSession(TokenDigest(outcome.sessionToken)));
        tokens.insert(outcome.sessionToken);
      }
    }
    EXPECT_EQ(tokens.size(), size_t{kThreads * kLoginsPerThread}) << "round " << round;
    EXPECT_EQ(store.sweeps.load(), round) << "one sweep per round";
    // This round's sweep removed the sessions of the last, idle for a day.
    for (const std::string& token : previousRound) {
      EXPECT_FALSE(store.FindSession(TokenDigest(token))) << "round " << round;
    }
    previousRound.assign(tokens.begin(), tokens.end());
  }
}

}  // namespace
}  // namespace mis
