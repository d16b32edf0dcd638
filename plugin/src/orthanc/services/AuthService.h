#pragma once

#include <string>

#include "Authenticator.h"
#include "PluginConfiguration.h"

namespace mis::orthanc {

// Opens the users database (an SQLite file, or PostgreSQL when `usersDatabase`
// is a postgresql:// URI), makes the first administrator when it has no user,
// and sets up the Authenticator every route and the request filter use.
void StartAuthService(const PluginConfiguration& configuration,
                      const std::string& usersDatabase);
void StopAuthService();

Authenticator& GetAuthenticator();
UserStore& GetUserStore();

}  // namespace mis::orthanc
