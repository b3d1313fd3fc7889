// ConnectionThreads: cpp-httplib's task queue for irmd's HTTP side: one thread per open
// connection, up to a cap, so long-lived Server-Sent Events streams never starve the short
// JSON requests the way a small fixed pool would. Connections beyond the cap wait in a FIFO
// until a thread frees up. Threads exit when there is no work, so an idle server holds none.
//
// Thread-safe. shutdown() (called by httplib when the server stops) waits for every running
// and queued connection to finish; streams must end on their own (HttpServer::Stop).
#ifndef IRM_SERVICES_HTTP_CONNECTION_THREADS_H_
#define IRM_SERVICES_HTTP_CONNECTION_THREADS_H_

#include <deque>
#include <functional>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "httplib.h"

namespace irm::services::http {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(size_t max_threads) : max_threads_(max_threads) {}
  ~ConnectionThreads() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  size_t running() const;

 private:
  // Shared with the threads, so a thread still leaving the lock after its last job never
  // touches a destroyed queue.
  struct State {
    absl::Mutex mu;
    std::deque<std::function<void()>> pending ABSL_GUARDED_BY(mu);
    size_t running ABSL_GUARDED_BY(mu) = 0;
  };
  static void Work(std::shared_ptr<State> state, std::function<void()> first);

  const size_t max_threads_;
  const std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONNECTION_THREADS_H_
