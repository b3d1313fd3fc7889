#include "engine/subscription/wake_pool.h"

#include <atomic>
#include <set>
#include <thread>

#include "engine/common/mutex.h"
#include "gtest/gtest.h"

namespace irm::subscription {
namespace {

std::vector<std::function<void()>> CountingTasks(size_t n, std::vector<std::atomic<int>>* runs,
                                                 common::Mutex* mu,
                                                 std::set<std::thread::id>* threads) {
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < n; ++i) {
    tasks.push_back([i, runs, mu, threads] {
      (*runs)[i].fetch_add(1);
      common::MutexLock lock(mu);
      threads->insert(std::this_thread::get_id());
    });
  }
  return tasks;
}

TEST(WakePoolTest, RunsEveryTaskExactlyOnceBeforeReturning) {
  WakePool pool(3);
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 1000u}) {
    std::vector<std::atomic<int>> runs(n);
    common::Mutex mu;
    std::set<std::thread::id> threads;
    std::vector<std::function<void()>> tasks = CountingTasks(n, &runs, &mu, &threads);
    pool.RunAll(&tasks);
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(runs[i].load(), 1) << "task " << i << " of " << n;
  }
}

TEST(WakePoolTest, SmallBatchesRunOnTheCaller) {
  WakePool pool(2);
  std::vector<std::atomic<int>> runs(4);
  common::Mutex mu;
  std::set<std::thread::id> threads;
  std::vector<std::function<void()>> tasks = CountingTasks(4, &runs, &mu, &threads);
  pool.RunAll(&tasks);
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(WakePoolTest, ManyBatchesInARowWithOneThreadOnly) {
  WakePool pool(1);
  std::atomic<int> total{0};
  for (int batch = 0; batch < 50; ++batch) {
    std::vector<std::function<void()>> tasks(40, [&] { total.fetch_add(1); });
    pool.RunAll(&tasks);
  }
  EXPECT_EQ(total.load(), 2000);
}

TEST(WakePoolTest, RepeatedBatchesAcrossWorkersLoseNothing) {
  WakePool pool(4);
  std::atomic<int> total{0};
  for (int batch = 0; batch < 200; ++batch) {
    std::vector<std::function<void()>> tasks(64, [&] { total.fetch_add(1); });
    pool.RunAll(&tasks);
    ASSERT_EQ(total.load(), (batch + 1) * 64) << "RunAll returned before its batch ran";
  }
}

}  // namespace
}  // namespace irm::subscription
