#include "UserStoreFactory.h"

#include "PostgresUserStore.h"
#include "SqliteUserStore.h"

namespace mis {

bool IsPostgresLocation(const std::string& location) {
  // The two schemes libpq accepts; a file path never looks like this.
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
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
