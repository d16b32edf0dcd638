#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mis::test {

// A TCP connection to 127.0.0.1, for what an HTTP library will not do: send a
// request's head and never its body, trickle a header line, or stay idle.
// Closed by the destructor.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`; false if the peer has closed the connection.
  bool Send(const std::string& bytes);
  // Waits up to `timeout` for an answer's head and its Content-Length body
  // (or the end of the connection); nullopt if nothing came in time.
  std::optional<std::string> ReadAnswer(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
};

// What RawExchange saw.
struct RawAnswer {
  std::string text;          // status line, headers and body as received ("" if none)
  double milliseconds = 0;   // from the head sent to the answer read
  long Status() const;       // 0 without an answer
  std::string Body() const;  // after the blank line
};

// Sends `head` (a request line and headers, ending with an empty line) and no
// body, and reads the answer within `timeout`.
RawAnswer RawExchange(uint16_t port, const std::string& head, std::chrono::milliseconds timeout);

}  // namespace mis::test
