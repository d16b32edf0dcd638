#pragma once

#include <memory>
#include <string>

#include "UserStore.h"

namespace mis {

// Whether `location` names a PostgreSQL database (postgresql:// or
// postgres:// URI) rather than an SQLite file.
bool IsPostgresLocation(const std::string& location);

// Opens the user store `location` names: a postgresql:// or postgres:// URI
// selects PostgreSQL, anything else is the path of an SQLite file.
std::unique_ptr<UserStore> OpenUserStore(const std::string& location);

// `location` for log lines and messages: a URI without its password.
std::string DescribeUserStoreLocation(const std::string& location);

}  // namespace mis
