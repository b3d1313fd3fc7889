// ConnectionThreads: cpp-httplib's task queue for irmd's HTTP side: one thread per open
// connection, up to a cap, so long-lived Server-Sent Events streams never starve the short
// JSON requests the way a small fixed pool would. Nothing waits in memory: a connection
// beyond the cap gets one of a few refusal threads, on which every request is answered 503
// with Retry-After (see Refusing()); when those are busy too, the accepting thread waits for
// a free thread, and new connections wait in the kernel's listen backlog. Each thread runs
// one connection and exits, so an idle server holds none.
//
// Every thread is owned: a finished thread is joined by the next enqueue() or by shutdown().
// Thread-safe. shutdown() (called by httplib when the server stops) waits for every running
// connection to finish and joins every thread; streams must end on their own
// (HttpServer::Stop).
#ifndef IRM_SERVICES_HTTP_CONNECTION_THREADS_H_
#define IRM_SERVICES_HTTP_CONNECTION_THREADS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "httplib.h"
#include "services/http/connection_stats.h"

namespace irm::services::http {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  // At most `max_threads` connections are served at once, and `refusal_threads` more are
  // refused at once. `stats` may be null.
  ConnectionThreads(size_t max_threads, size_t refusal_threads,
                    std::shared_ptr<ConnectionStats> stats = nullptr);
  ~ConnectionThreads() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // Connections being served (refusals not counted).
  size_t running() const;

  // True on a thread that runs a connection beyond the cap: the HTTP server answers its
  // requests 503 with Retry-After and closes it.
  static bool Refusing();

 private:
  // Runs `job` on a new owned thread; `refusing` marks it as a refusal thread.
  void Spawn(std::function<void()> job, bool refusing) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Joins the threads that have finished.
  void JoinFinished();

  const size_t max_threads_;
  const size_t refusal_threads_;
  const std::shared_ptr<ConnectionStats> stats_;

  mutable absl::Mutex mu_;
  size_t serving_ ABSL_GUARDED_BY(mu_) = 0;
  size_t refusing_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, std::thread> running_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> finished_ ABSL_GUARDED_BY(mu_);  // done; to be joined
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONNECTION_THREADS_H_
