#include "ServerSuite.h"

#include <exception>
#include <iostream>

namespace mis::test {

std::unique_ptr<OrthancServer> ServerSuite::server_;
std::string ServerSuite::startError_;

void ServerSuite::StartServer(OrthancServerOptions options) {
  server_.reset();
  startError_.clear();
  try {
    server_ = std::make_unique<OrthancServer>(std::move(options));
  } catch (const std::exception& error) {
    startError_ = error.what();
  }
}

void ServerSuite::StopServer() { server_.reset(); }

void ServerSuite::SetUp() {
  ASSERT_TRUE(server_) << "the suite's server did not start: " << startError_;
  ASSERT_TRUE(server_->IsRunning()) << "the suite's server is not running; log ends with:\n"
                                    << server_->LogTail();
}

void ServerSuite::TearDown() {
  if (!server_) return;
  EXPECT_TRUE(server_->IsRunning()) << "the server or its front died during this test; the logs:\n"
                                    << server_->LogTail();
  // The server outlives the test: its logs (Orthanc's, nginx's) go with the failure now.
  if (HasFailure() && server_->IsRunning()) {
    std::cout << "[ server ] logs after the failure:\n" << server_->LogTail() << std::endl;
  }
}

}  // namespace mis::test
