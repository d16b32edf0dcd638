#include "AuthService.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "OrthancApi.h"
#include "PasswordWorker.h"
#include "Secrets.h"
#include "UserStoreFactory.h"

namespace mis::orthanc {
namespace {

constexpr const char* kFirstAdmin = "admin";
constexpr const char* kAdminPasswordVariable = "MEDICAL_IMAGE_SERVER_ADMIN_PASSWORD";
// One Argon2id at a time, at a lower priority: logins wait, reads do not.
constexpr unsigned kPasswordThreads = 1;
constexpr int kPasswordNiceness = 10;
// Each queued check holds one of Orthanc's 50 HTTP threads while it waits:
// with 64, a storm of 100 logins held them all and reads got no answer for
// seconds (bench/auth, part c). A few are queued (a wait of tens of ms each);
// the others get 429 login_busy with Retry-After at once.
constexpr size_t kMaxQueuedPasswordChecks = 4;

std::unique_ptr<UserStore> store;
std::unique_ptr<PasswordWorker> passwordWorker;
std::unique_ptr<Authenticator> authenticator;

int64_t SecondsSinceEpoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void CreateFirstAdministrator(UserStore& users) {
  if (users.CountUsers() > 0) return;
  const char* given = std::getenv(kAdminPasswordVariable);
  const std::string password = given != nullptr && *given != '\0' ? given : NewRandomPassword();
  // Servers sharing one PostgreSQL database may start together: only the one
  // whose insert wins has made the administrator.
  if (!users.AddUser(kFirstAdmin, HashPassword(password), "admin", SecondsSinceEpoch())) return;
  if (given != nullptr && *given != '\0') {
    LogWarning("No user yet: created the administrator 'admin' with the password from " +
               std::string(kAdminPasswordVariable));
  } else {
    // Shown once, as Jenkins does; change it with the users tool.
    LogWarning("No user yet: created the administrator 'admin' with the password: " + password +
               "  (change it with: medical-image-server-users passwd admin)");
  }
}

}  // namespace

void StartAuthService(const PluginConfiguration& configuration,
                      const std::string& usersDatabase) {
  InitializeSecrets();
  store = OpenUserStore(usersDatabase);
  CreateFirstAdministrator(*store);
  passwordWorker = std::make_unique<PasswordWorker>(kPasswordThreads, kPasswordNiceness,
                                                    kMaxQueuedPasswordChecks);
  AuthSettings settings;
  settings.sessionIdleSeconds = int64_t{configuration.sessionTimeoutMinutes} * 60;
  settings.loginLimits.failuresPerName = configuration.maxLoginFailures;
  settings.loginLimits.failuresPerClient = 4 * configuration.maxLoginFailures;
  settings.loginLimits.windowSeconds = configuration.loginFailureWindowSeconds;
  settings.credentialCacheSeconds = configuration.credentialCacheSeconds;
  authenticator = std::make_unique<Authenticator>(
      *store, settings, SecondsSinceEpoch,
      [](const std::string& hash, const std::string& password) {
        return passwordWorker->Verify(hash, password);
      });
  DecoyPasswordHash();  // computed now rather than during the first login
  LogInfo("users database: " + DescribeUserStoreLocation(usersDatabase));
}

void StopAuthService() {
  authenticator.reset();
  passwordWorker.reset();
  store.reset();
}

Authenticator& GetAuthenticator() {
  if (!authenticator) throw std::logic_error("the authentication service is not started");
  return *authenticator;
}

UserStore& GetUserStore() {
  if (!store) throw std::logic_error("the authentication service is not started");
  return *store;
}

}  // namespace mis::orthanc
