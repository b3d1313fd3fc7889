// WakePool: runs a batch of short callbacks on a few threads at once.
//
// The LiveFeed wakes every parked subscriber when new events arrive; each wake formats and
// hands a message to gRPC, which often sends it inline (sendmsg, and on loopback the
// receiver's TCP work too). Run one after another on the dispatcher thread, 1,000 wakes take
// 1,000 sends in a row; the pool spreads them over `threads` threads (the caller's included)
// so the sends of one batch proceed in parallel on a multi-core machine.
//
// RunAll() returns only when every task of the batch has run, so a caller that stops
// calling RunAll() (the feed, on Stop) knows no task is still running. The caller claims
// tasks too and never waits for a worker to wake up: it waits only for tasks a worker has
// already claimed, so on a machine where the workers do not get a core the batch simply
// runs on the caller as before. Tasks may run on any of the pool's threads or on the
// caller's, in any order, and must be safe to run concurrently with one another. RunAll()
// must not be called concurrently with itself.
#ifndef IRM_ENGINE_SUBSCRIPTION_WAKE_POOL_H_
#define IRM_ENGINE_SUBSCRIPTION_WAKE_POOL_H_

#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "engine/common/mutex.h"

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
  // Claims up to a few tasks of the current batch; false if none is left.
  bool Claim(size_t* first, size_t* last) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  common::Mutex mu_;
  std::vector<std::function<void()>>* batch_ ABSL_GUARDED_BY(mu_) = nullptr;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;  // the first unclaimed task of batch_
  size_t done_ ABSL_GUARDED_BY(mu_) = 0;  // tasks of batch_ that have run
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace irm::subscription

#endif  // IRM_ENGINE_SUBSCRIPTION_WAKE_POOL_H_
