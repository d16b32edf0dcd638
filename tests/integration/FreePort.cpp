#include "FreePort.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace mis::test {
namespace {

uint16_t BindPortZero() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);  // Orthanc binds every interface
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    throw std::runtime_error("cannot find a free TCP port: " + error);
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

uint16_t FindFreeTcpPort() {
  static std::mutex mutex;
  static std::set<uint16_t> handedOut;
  std::lock_guard<std::mutex> lock(mutex);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const uint16_t port = BindPortZero();
    if (handedOut.insert(port).second) return port;
  }
  throw std::runtime_error("cannot find a TCP port not handed out already");
}

}  // namespace mis::test
