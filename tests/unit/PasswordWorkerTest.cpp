// Argon2id verifications on the worker threads.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "PasswordWorker.h"
#include "Secrets.h"

namespace mis {
namespace {

TEST(PasswordWorker, GivesTheSameAnswersAsADirectCheck) {
  PasswordWorker worker(1, 10, 8);
  const std::string hash = HashPassword("right");
  EXPECT_TRUE(worker.Verify(hash, "right"));
  EXPECT_FALSE(worker.Verify(hash, "wrong"));
}

TEST(PasswordWorker, ServesManyCallersAtOnce) {
  PasswordWorker worker(1, 10, 16);
  const std::string hash = HashPassword("right");
  std::vector<std::thread> callers;
  std::vector<int> answers(6, -1);
  for (size_t i = 0; i < answers.size(); ++i) {
    callers.emplace_back([&, i] { answers[i] = worker.Verify(hash, i % 2 ? "right" : "no"); });
  }
  for (std::thread& caller : callers) caller.join();
  for (size_t i = 0; i < answers.size(); ++i) EXPECT_EQ(answers[i], i % 2 ? 1 : 0) << i;
}

TEST(PasswordWorker, RefusesWhenTheQueueIsFull) {
  PasswordWorker worker(1, 10, 1);
  const std::string hash = HashPassword("right");
  // Eight callers at once for one thread and one queue place: some must be refused.
  std::vector<std::thread> callers;
  std::atomic<int> refused{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      try {
        worker.Verify(hash, "right");
      } catch (const std::runtime_error&) {
        ++refused;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_GT(refused.load(), 0);
}

}  // namespace
}  // namespace mis
