#pragma once

#include <memory>
#include <string>

#include "UserStore.h"

namespace mis {

// The environment variable that names the users database. The plugin and the
// users tool both read it, so one setting points both at the same database
// (a container's environment, the scale-out set-up's PostgreSQL).
constexpr const char* kUsersDatabaseVariable = "MEDICAL_IMAGE_SERVER_USERS_DB";

// Where the users database is: the environment variable when set and not
// empty, else `configured` (MedicalImageServer.UsersDatabase) when not empty,
// else users.sqlite in Orthanc's `storageDirectory`.
std::string ChooseUsersDatabase(const std::string& configured,
                                const std::string& storageDirectory);

// Whether `location` names a PostgreSQL database (postgresql:// or
// postgres:// URI) rather than an SQLite file.
bool IsPostgresLocation(const std::string& location);

// Opens the user store `location` names: a postgresql:// or postgres:// URI
// selects PostgreSQL, anything else is the path of an SQLite file.
std::unique_ptr<UserStore> OpenUserStore(const std::string& location);

// `location` for log lines and messages: a URI without its password.
std::string DescribeUserStoreLocation(const std::string& location);

}  // namespace mis
