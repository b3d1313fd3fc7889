// SseSession: one GET /api/events stream (Server-Sent Events) on a cpp-httplib connection.
//
// It drives a SubscriptionCursor (engine/subscription) exactly as the gRPC SubscribeReactor
// does: catching up from disk, then following the LiveFeed, with no gap and no duplicate.
// Each event the viewer may see (HttpAccess) goes out as
//
//   id: <position>
//   data: <the event as `irm read --json` prints it>
//
// and when the cursor has scanned past positions the viewer does not get, an `id:` line
// alone moves the browser's Last-Event-ID forward without dispatching anything. A client
// reconnecting with `Last-Event-ID: P` resumes at P + 1. Comment lines (": heartbeat") go
// out when nothing else did for `heartbeat`, so proxies keep the stream and dead clients are
// noticed. The log's writer never waits for a session: a session parks on the feed and is
// woken by the feed's dispatcher; a slow client blocks only its own connection thread, and
// its cursor reads from disk once it has fallen behind the feed's ring.
//
// Cluster mode (docs/cluster.md): a cursor made with `wait_for_start` may start past this
// node's copy (a client resuming with a Last-Event-ID it got from a node further ahead). The
// session then sends nothing but heartbeats until the copy reaches the start, for at most
// Options::start_wait; past it, an `error` event (UNAVAILABLE, naming both positions) ends
// the stream. The wait ends early when irmd stops, or when a heartbeat's write fails (the
// client went away). Once the copy is there, the events follow from the start on, so the
// client gets no gap and no duplicate.
//
// Not thread-safe: one connection thread calls Pump() repeatedly.
#ifndef IRM_SERVICES_HTTP_SSE_SESSION_H_
#define IRM_SERVICES_HTTP_SSE_SESSION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/subscription/live_feed.h"
#include "engine/subscription/subscription_cursor.h"
#include "httplib.h"
#include "services/http/http_access.h"
#include "services/server/subscription_registry.h"

namespace irm::services::http {

class SseSession : public std::enable_shared_from_this<SseSession> {
 public:
  struct Options {
    absl::Duration heartbeat = absl::Seconds(15);
    absl::Duration retry = absl::Seconds(2);  // the reconnection delay suggested to browsers
    // How long a cursor behind its start may wait for this node's copy (cluster mode), and
    // the cluster's head as this node last saw it, for the message when the wait runs out.
    absl::Duration start_wait = absl::InfiniteDuration();
    std::function<uint64_t()> cluster_head;
  };

  // `stopping` turns true when irmd shuts down. Every pointer must outlive the session.
  // `view` decides what of each event the client may see (HttpAccess::EventView); `label`
  // names the viewer in the stream's first comment.
  SseSession(subscription::LiveFeed* feed, SubscriptionRegistry* registry,
             HttpAccess::EventViewFn view, std::string label,
             subscription::SubscriptionCursor cursor, std::string description,
             const std::atomic<bool>* stopping, Options options);
  ~SseSession();

  // One turn of httplib's content provider: writes what is ready, or waits for the feed up
  // to the next heartbeat. Returns false when the client is gone (the write failed).
  bool Pump(httplib::DataSink& sink);

 private:
  // Parks on the feed until it passes the cursor, the heartbeat is due or (behind the
  // start) the start wait runs out; true if woken.
  bool WaitForFeed();
  // Tells the client irmd stops and where to resume, and ends the stream.
  bool EndForShutdown(httplib::DataSink& sink);
  // The `error` event that ends a stream whose start the copy did not reach in time.
  std::string StartWaitExpired() const;
  bool Write(httplib::DataSink& sink, const std::string& text);

  subscription::LiveFeed* const feed_;
  SubscriptionRegistry* const registry_;
  const HttpAccess::EventViewFn view_;
  const std::string label_;
  subscription::SubscriptionCursor cursor_;
  const std::atomic<bool>* const stopping_;
  const Options options_;
  SubscriptionRegistry::Id registry_id_;
  bool started_ = false;
  uint64_t last_id_ = 0;  // the last id: sent
  absl::Time last_write_;
  const absl::Time start_deadline_;  // the end of the wait for a start past the copy

  struct WakeFlag {
    absl::Mutex mu;
    bool woken ABSL_GUARDED_BY(mu) = false;
  };
  std::shared_ptr<WakeFlag> wake_ = std::make_shared<WakeFlag>();
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_SSE_SESSION_H_
