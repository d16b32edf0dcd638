#include "FreePort.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace mis::test {
namespace {

// Whether `port` can be bound right now, on every interface (as Orthanc binds).
bool CanBind(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = htons(port);
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return free;
}

// A port drawn at random from 20000-32767: below the kernel's ephemeral range
// (32768 and up by default), from which bind(0) and every outgoing
// connection take their ports. The kernel hands a port freed a moment ago to
// the next bind(0) of any process: a test server restarting found its port
// taken by another test's server, started in between (seen in
// SampleVolumeTest). Random draws from 12,768 ports make that unlikely.
uint16_t RandomPort() {
  static std::mt19937 generator(std::random_device{}() ^ static_cast<unsigned>(getpid()));
  return static_cast<uint16_t>(std::uniform_int_distribution<int>(20000, 32767)(generator));
}

}  // namespace

uint16_t FindFreeTcpPort() {
  static std::mutex mutex;
  static std::set<uint16_t> handedOut;
  std::lock_guard<std::mutex> lock(mutex);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const uint16_t port = RandomPort();
    if (handedOut.count(port) == 0 && CanBind(port)) {
      handedOut.insert(port);
      return port;
    }
  }
  throw std::runtime_error("cannot find a TCP port not handed out already");
}

}  // namespace mis::test
