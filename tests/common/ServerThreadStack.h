#pragma once

// Runs a piece of code on a thread with the stack of Orthanc's HTTP threads,
// so that the unit tests and the fuzz targets meet the recursion limits the
// server really has, not the main thread's 8 MiB. Header-only: the libFuzzer
// build (tests/fuzz, MIS_FUZZING) does not build tests/common's libraries.

#include <pthread.h>

#include <cstddef>
#include <cstring>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

namespace mis::test {

// The stack of each of Orthanc's HTTP worker threads on Debian 12 and 13:
// Debian's civetweb is built with USE_STACK_SIZE=102400, and a running
// server's /proc/<pid>/maps shows one 100 KiB mapping (plus a guard page)
// per thread of HttpThreadsCount, where its other threads have glibc's 8 MiB.
constexpr size_t kOrthancHttpThreadStackBytes = 100 * 1024;

// Runs `work` on a new thread with `stackBytes` of stack and waits for it.
// An exception `work` throws is thrown again here; a stack overflow ends the
// process (SIGSEGV on the guard page), as it would end the server.
inline void RunOnStackOf(size_t stackBytes, const std::function<void()>& work) {
  struct Job {
    const std::function<void()>* work;
    std::exception_ptr error;
  } job{&work, nullptr};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  int status = pthread_attr_setstacksize(&attributes, stackBytes);
  pthread_t thread;
  if (status == 0) {
    status = pthread_create(
        &thread, &attributes,
        [](void* argument) -> void* {
          Job& running = *static_cast<Job*>(argument);
          try {
            (*running.work)();
          } catch (...) {
            running.error = std::current_exception();
          }
          return nullptr;
        },
        &job);
  }
  pthread_attr_destroy(&attributes);
  if (status != 0) throw std::runtime_error(std::string("cannot start a thread: ") + std::strerror(status));
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

// RunOnStackOf with the stack of Orthanc's HTTP threads.
inline void RunOnServerHttpStack(const std::function<void()>& work) {
  RunOnStackOf(kOrthancHttpThreadStackBytes, work);
}

}  // namespace mis::test
