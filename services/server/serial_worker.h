// SerialWorker: runs tasks one at a time, in the order they were posted, on a thread of its
// own. For work that must not overlap (one lot draw after another) and may block (waits for
// projections, fsyncs), so that it blocks neither a gRPC callback thread nor the log's writer.
//
// Thread-safe: Post() may be called from any thread. The destructor runs every task already
// posted, then joins the thread; posting during destruction is an error.
#ifndef IRM_SERVICES_SERVER_SERIAL_WORKER_H_
#define IRM_SERVICES_SERVER_SERIAL_WORKER_H_

#include <deque>
#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace irm::services {

class SerialWorker {
 public:
  SerialWorker();
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  // Queues `task`; it runs after every task posted before it has returned.
  void Post(std::function<void()> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_SERIAL_WORKER_H_
