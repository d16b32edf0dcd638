#include "UserStoreFactory.h"

#include <cstdlib>

#include "AsciiText.h"
#include "PostgresUserStore.h"
#include "SqliteUserStore.h"

namespace mis {

std::string ChooseUsersDatabase(const std::string& configured,
                                const std::string& storageDirectory) {
  const char* variable = std::getenv(kUsersDatabaseVariable);
  if (variable != nullptr && *variable != '\0') return variable;
  if (!configured.empty()) return configured;
  return storageDirectory + "/users.sqlite";
}

bool IsPostgresLocation(const std::string& location) {
  // The two schemes libpq accepts; a file path never looks like this.
  return StartsWith(location, "postgresql://") || StartsWith(location, "postgres://");
}

std::unique_ptr<UserStore> OpenUserStore(const std::string& location) {
  if (IsPostgresLocation(location)) return std::make_unique<PostgresUserStore>(location);
  return std::make_unique<SqliteUserStore>(location);
}

std::string DescribeUserStoreLocation(const std::string& location) {
  if (IsPostgresLocation(location)) return DescribePostgresConnection(location);
  return "SQLite " + location;
}

}  // namespace mis
