#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mis {

// Runs Argon2id verifications on a few dedicated threads with a lower CPU
// priority, so that a burst of logins (each costs 64 MiB and tens of
// milliseconds of CPU) cannot starve the requests of logged-in users.
class PasswordWorker {
 public:
  // `niceness` is added to the threads' nice value (Linux: per thread).
  PasswordWorker(unsigned threads, int niceness, size_t maxQueued);
  ~PasswordWorker();
  PasswordWorker(const PasswordWorker&) = delete;
  PasswordWorker& operator=(const PasswordWorker&) = delete;

  // Verifies on a worker thread and waits for the answer. Throws HttpError
  // 503 when too many verifications are queued already.
  bool Verify(const std::string& storedHash, const std::string& password);

 private:
  void Run(int niceness);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<bool()>> queue_;
  size_t maxQueued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mis
