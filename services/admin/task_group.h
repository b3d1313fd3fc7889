// TaskGroup: owns the threads of the admin calls that run long (rebuild, replay check,
// backup), so none is detached and none outlives the service it captures.
//
// Spawn runs a task on a thread of its own; the threads of finished tasks are joined by the
// next Spawn. Stop refuses new tasks and joins every running one: the caller first makes
// them finish soon (ProjectionRunner::CancelReplays, RocksDbEventLog::CancelBackups).
// Thread-safe.
#ifndef IRM_SERVICES_ADMIN_TASK_GROUP_H_
#define IRM_SERVICES_ADMIN_TASK_GROUP_H_

#include <functional>
#include <list>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace irm::services {

class TaskGroup {
 public:
  TaskGroup() = default;
  ~TaskGroup() { Stop(); }
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  // Runs `task` on a new thread. False, and `task` is not run, once Stop() began.
  bool Spawn(std::function<void()> task);
  // Refuses new tasks and joins every task. Idempotent.
  void Stop();
  // Tasks not yet joined (running, or finished since the last Spawn).
  size_t size() const;

 private:
  struct Entry {
    std::thread thread;
    bool done = false;
  };
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::list<Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::services

#endif  // IRM_SERVICES_ADMIN_TASK_GROUP_H_
