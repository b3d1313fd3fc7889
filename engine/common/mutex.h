// The engine's lock: common::Mutex, common::MutexLock and common::Notification.
//
// In a normal build these are absl::Mutex, absl::MutexLock and absl::Notification. Under the
// IRM_TSAN build option (a ThreadSanitizer build, docs/testing.md) they are small classes on
// std::mutex and std::condition_variable with the same interface: Debian's abseil is not
// instrumented, so TSan cannot see absl::Mutex's acquire/release and reports correctly locked
// data as racing, while std::mutex goes through pthread, which TSan intercepts.
//
// Conditions stay absl::Condition (it only calls a function; no synchronization of its own).
// The TSan variant wakes every waiter whenever the lock is released (Unlock, or a thread
// starting to wait in Await), which is correct because a condition may only read state
// guarded by the mutex; it is slower than absl's, and only for that build.
#ifndef IRM_ENGINE_COMMON_MUTEX_H_
#define IRM_ENGINE_COMMON_MUTEX_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#ifdef IRM_TSAN
#include <chrono>
#include <condition_variable>
#include <mutex>
#endif

namespace irm::common {

#ifndef IRM_TSAN

using Mutex = absl::Mutex;
using MutexLock = absl::MutexLock;
using Notification = absl::Notification;

#else  // IRM_TSAN

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  // Accepted for function-local statics written for absl::Mutex.
  explicit Mutex(absl::ConstInitType) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  // Wakes waiters before releasing: once released, this Mutex may already be destroyed by a
  // waiter that saw its condition met.
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    changed_.notify_all();
    mu_.unlock();
  }
  void AssertHeld() const ABSL_ASSERT_EXCLUSIVE_LOCK() {}

  // Waits, with the lock held on entry and on return, until `condition` holds.
  void Await(const absl::Condition& condition) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    std::unique_lock<std::mutex> held(mu_, std::adopt_lock);
    changed_.notify_all();  // waiting releases the lock: others' conditions may hold now
    changed_.wait(held, [&] { return condition.Eval(); });
    held.release();
  }

  // As Await, but gives up after `timeout`; returns whether `condition` holds.
  bool AwaitWithTimeout(const absl::Condition& condition, absl::Duration timeout)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    std::unique_lock<std::mutex> held(mu_, std::adopt_lock);
    changed_.notify_all();
    const bool met = changed_.wait_for(held, absl::ToChronoNanoseconds(timeout),
                                       [&] { return condition.Eval(); });
    held.release();
    return met;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
};

class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

class Notification {
 public:
  void Notify() {
    MutexLock lock(&mu_);
    notified_ = true;
  }
  bool HasBeenNotified() {
    MutexLock lock(&mu_);
    return notified_;
  }
  void WaitForNotification() {
    MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&notified_));
  }
  bool WaitForNotificationWithTimeout(absl::Duration timeout) {
    MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&notified_), timeout);
  }

 private:
  Mutex mu_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
};

#endif  // IRM_TSAN

}  // namespace irm::common

#endif  // IRM_ENGINE_COMMON_MUTEX_H_
