#include "engine/subscription/wake_pool.h"

#include <algorithm>

namespace irm::subscription {
namespace {

// Batches smaller than this run on the caller: waking a worker costs more than they do.
constexpr size_t kMinParallelBatch = 16;
// Tasks claimed at a time, so threads do not contend on every task.
constexpr size_t kClaim = 8;

}  // namespace

WakePool::WakePool(size_t threads) {
  for (size_t i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

WakePool::~WakePool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& worker : workers_) worker.join();
}

void WakePool::RunShare(std::vector<std::function<void()>>* tasks) {
  const size_t size = tasks->size();
  for (;;) {
    const size_t first = next_.fetch_add(kClaim, std::memory_order_relaxed);
    if (first >= size) return;
    const size_t last = std::min(size, first + kClaim);
    for (size_t i = first; i < last; ++i) (*tasks)[i]();
  }
}

void WakePool::RunAll(std::vector<std::function<void()>>* tasks) {
  if (workers_.empty() || tasks->size() < kMinParallelBatch) {
    for (auto& task : *tasks) task();
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    next_.store(0, std::memory_order_relaxed);
    batch_ = tasks;
    active_workers_ = workers_.size();
    ++generation_;
  }
  RunShare(tasks);
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](WakePool* pool) ABSL_NO_THREAD_SAFETY_ANALYSIS { return pool->active_workers_ == 0; },
      this));
  batch_ = nullptr;
}

void WakePool::Work() {
  uint64_t seen = 0;
  for (;;) {
    std::vector<std::function<void()>>* tasks;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || generation_ != seen;
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      seen = generation_;
      tasks = batch_;
    }
    RunShare(tasks);
    absl::MutexLock lock(&mu_);
    --active_workers_;
  }
}

}  // namespace irm::subscription
