#include "RawHttp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mis::test {
namespace {

// The Content-Length of an answer's head, or nullopt.
std::optional<size_t> ContentLength(const std::string& head) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t name = lower.find("\r\ncontent-length:");
  if (name == std::string::npos) return std::nullopt;
  return std::stoul(lower.substr(name + 17));
}

}  // namespace

RawConnection::RawConnection(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    const std::string error = std::strerror(errno);
    close(fd_);
    throw std::runtime_error("connect to port " + std::to_string(port) + ": " + error);
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t written = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    sent += static_cast<size_t>(written);
  }
  return true;
}

std::optional<std::string> RawConnection::ReadAnswer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string text;
  for (;;) {
    const size_t headEnd = text.find("\r\n\r\n");
    if (headEnd != std::string::npos) {
      const std::optional<size_t> length = ContentLength(text.substr(0, headEnd + 2));
      if (length && text.size() >= headEnd + 4 + *length) return text;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return text.empty() ? std::nullopt : std::optional<std::string>(text);
    pollfd poller{fd_, POLLIN, 0};
    const int ready = poll(&poller, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline is checked above
    char buffer[16384];
    const ssize_t received = recv(fd_, buffer, sizeof(buffer), 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) return text.empty() ? std::nullopt : std::optional<std::string>(text);
    text.append(buffer, static_cast<size_t>(received));
  }
}

long RawAnswer::Status() const {
  // "HTTP/1.1 413 Request Entity Too Large"
  const size_t space = text.find(' ');
  return text.rfind("HTTP/", 0) == 0 && space != std::string::npos
             ? std::strtol(text.c_str() + space + 1, nullptr, 10)
             : 0;
}

std::string RawAnswer::Body() const {
  const size_t headEnd = text.find("\r\n\r\n");
  return headEnd == std::string::npos ? std::string() : text.substr(headEnd + 4);
}

RawAnswer RawExchange(uint16_t port, const std::string& head, std::chrono::milliseconds timeout) {
  RawConnection connection(port);
  RawAnswer answer;
  const auto start = std::chrono::steady_clock::now();
  if (connection.Send(head)) answer.text = connection.ReadAnswer(timeout).value_or("");
  answer.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return answer;
}

}  // namespace mis::test
