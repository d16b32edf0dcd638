#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "HttpClient.h"
#include "OrthancServer.h"

namespace mis::test {

// Fixture base: one server shared by every test of a suite. A suite that
// needs another configuration defines its own SetUpTestSuite calling
// StartServer(options). Each test fails at once if the server did not start,
// and fails if the server died during the test.
class ServerSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() { StartServer(); }
  static void TearDownTestSuite() { StopServer(); }

 protected:
  static void StartServer(OrthancServerOptions options = {});
  static void StopServer();
  static OrthancServer& Server() { return *server_; }
  static HttpClient Http() { return server_->Http(); }

  void SetUp() override;
  void TearDown() override;

 private:
  static std::unique_ptr<OrthancServer> server_;
  static std::string startError_;
};

}  // namespace mis::test
