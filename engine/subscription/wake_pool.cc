#include "engine/subscription/wake_pool.h"

#include <algorithm>

namespace irm::subscription {
namespace {

// Batches smaller than this run on the caller: waking a worker costs more than they do.
constexpr size_t kMinParallelBatch = 16;
// Tasks claimed at a time, so threads take the lock once per few tasks.
constexpr size_t kClaim = 8;

}  // namespace

WakePool::WakePool(size_t threads) {
  for (size_t i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

WakePool::~WakePool() {
  {
    common::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& worker : workers_) worker.join();
}

bool WakePool::Claim(size_t* first, size_t* last) {
  if (batch_ == nullptr || next_ >= batch_->size()) return false;
  *first = next_;
  *last = std::min(batch_->size(), next_ + kClaim);
  next_ = *last;
  return true;
}

void WakePool::RunAll(std::vector<std::function<void()>>* tasks) {
  if (workers_.empty() || tasks->size() < kMinParallelBatch) {
    for (auto& task : *tasks) task();
    return;
  }
  common::MutexLock lock(&mu_);
  batch_ = tasks;
  next_ = 0;
  done_ = 0;
  size_t first, last;
  while (Claim(&first, &last)) {
    mu_.Unlock();
    for (size_t i = first; i < last; ++i) (*tasks)[i]();
    mu_.Lock();
    done_ += last - first;
  }
  // Only tasks a worker has claimed can still be running.
  mu_.Await(absl::Condition(
      +[](WakePool* pool) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return pool->done_ == pool->batch_->size();
      },
      this));
  batch_ = nullptr;
}

void WakePool::Work() {
  common::MutexLock lock(&mu_);
  for (;;) {
    mu_.Await(absl::Condition(
        +[](WakePool* pool) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return pool->stopping_ ||
                 (pool->batch_ != nullptr && pool->next_ < pool->batch_->size());
        },
        this));
    if (stopping_) return;
    size_t first, last;
    std::vector<std::function<void()>>* tasks = batch_;
    while (Claim(&first, &last)) {
      mu_.Unlock();
      for (size_t i = first; i < last; ++i) (*tasks)[i]();
      mu_.Lock();
      done_ += last - first;
    }
  }
}

}  // namespace irm::subscription
