// WakePool: runs a batch of short callbacks on a few threads at once.
//
// The LiveFeed wakes every parked subscriber when new events arrive; each wake formats and
// hands a message to gRPC, which often sends it inline (sendmsg, and on loopback the
// receiver's TCP work too). Run one after another on the dispatcher thread, 1,000 wakes take
// 1,000 sends in a row; the pool spreads them over `threads` threads (the caller's included)
// so the sends of one batch proceed in parallel on a multi-core machine.
//
// RunAll() returns only when every task of the batch has run, so a caller that stops
// calling RunAll() (the feed, on Stop) knows no task is still running. Tasks may run on any
// of the pool's threads or on the caller's, in any order, and must be safe to run
// concurrently with one another. RunAll() must not be called concurrently with itself.
#ifndef IRM_ENGINE_SUBSCRIPTION_WAKE_POOL_H_
#define IRM_ENGINE_SUBSCRIPTION_WAKE_POOL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace irm::subscription {

class WakePool {
 public:
  // `threads` >= 1 counts the caller of RunAll(); threads - 1 workers are started.
  explicit WakePool(size_t threads);
  ~WakePool();

  WakePool(const WakePool&) = delete;
  WakePool& operator=(const WakePool&) = delete;

  // Runs every task once and returns when all have run. Small batches run on the caller.
  void RunAll(std::vector<std::function<void()>>* tasks);

 private:
  void Work();
  void RunShare(std::vector<std::function<void()>>* tasks);

  absl::Mutex mu_;
  std::vector<std::function<void()>>* batch_ ABSL_GUARDED_BY(mu_) = nullptr;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  size_t active_workers_ ABSL_GUARDED_BY(mu_) = 0;  // workers still on the current batch
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<size_t> next_{0};  // the next unclaimed task of the current batch
  std::vector<std::thread> workers_;
};

}  // namespace irm::subscription

#endif  // IRM_ENGINE_SUBSCRIPTION_WAKE_POOL_H_
