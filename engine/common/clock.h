// Clock: the source of "now" for recorded times and deadlines.
//
// Behind an interface so tests run fast and deterministic (conventions.md, habit 4).
// Implementations are thread-safe.
#ifndef IRM_ENGINE_COMMON_CLOCK_H_
#define IRM_ENGINE_COMMON_CLOCK_H_

#include "engine/common/mutex.h"
#include "absl/time/time.h"

namespace irm::common {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The process-wide real clock. Never null; not owned by the caller.
Clock* SystemClock();

// A clock that stands still until told to move. For tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    common::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    common::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    common::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable common::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::common

#endif  // IRM_ENGINE_COMMON_CLOCK_H_
