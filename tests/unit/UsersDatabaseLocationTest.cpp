// Where the plugin and the users tool look for the users database.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "UserStoreFactory.h"

namespace mis {
namespace {

// Sets the variable for one test and restores what was there before.
class UsersDatabaseVariable : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* before = std::getenv("MEDICAL_IMAGE_SERVER_USERS_DB");
    if (before != nullptr) saved_ = before;
    hadValue_ = before != nullptr;
    unsetenv("MEDICAL_IMAGE_SERVER_USERS_DB");
  }
  void TearDown() override {
    if (hadValue_) {
      setenv("MEDICAL_IMAGE_SERVER_USERS_DB", saved_.c_str(), 1);
    } else {
      unsetenv("MEDICAL_IMAGE_SERVER_USERS_DB");
    }
  }

 private:
  std::string saved_;
  bool hadValue_ = false;
};

TEST_F(UsersDatabaseVariable, DefaultIsUsersSqliteInTheStorageFolder) {
  EXPECT_EQ(ChooseUsersDatabase("", "/var/lib/orthanc/db"), "/var/lib/orthanc/db/users.sqlite");
}

TEST_F(UsersDatabaseVariable, ConfiguredLocationBeatsTheDefault) {
  EXPECT_EQ(ChooseUsersDatabase("postgresql://u@db/users", "/storage"), "postgresql://u@db/users");
}

TEST_F(UsersDatabaseVariable, VariableBeatsEverything) {
  setenv("MEDICAL_IMAGE_SERVER_USERS_DB", "/run/users.sqlite", 1);
  EXPECT_EQ(ChooseUsersDatabase("/configured.sqlite", "/storage"), "/run/users.sqlite");
}

TEST_F(UsersDatabaseVariable, EmptyVariableIsNotSet) {
  setenv("MEDICAL_IMAGE_SERVER_USERS_DB", "", 1);
  EXPECT_EQ(ChooseUsersDatabase("", "/storage"), "/storage/users.sqlite");
}

}  // namespace
}  // namespace mis
