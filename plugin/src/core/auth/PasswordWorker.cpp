#include "PasswordWorker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>


#include "HttpError.h"
#include "Secrets.h"

namespace mis {

PasswordWorker::PasswordWorker(unsigned threads, int niceness, size_t maxQueued)
    : maxQueued_(maxQueued) {
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this, niceness] { Run(niceness); });
  }
}

PasswordWorker::~PasswordWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void PasswordWorker::Run(int niceness) {
  // On Linux, setpriority on a thread id changes only that thread. Failing to
  // lower our own priority is harmless, so the result is not checked.
  const auto threadId = static_cast<id_t>(syscall(SYS_gettid));
  setpriority(PRIO_PROCESS, threadId, getpriority(PRIO_PROCESS, threadId) + niceness);
  while (true) {
    std::packaged_task<bool()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

bool PasswordWorker::Verify(const std::string& storedHash, const std::string& password) {
  std::packaged_task<bool()> task([&storedHash, &password] {
    return VerifyPassword(storedHash, password);
  });
  std::future<bool> answer = task.get_future();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= maxQueued_) {
      throw HttpError(429, "login_busy", "too many logins at once: try again in a moment",
                      {{"retry_after_seconds", 1}});
    }
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return answer.get();  // the references stay valid: we wait here
}

}  // namespace mis
