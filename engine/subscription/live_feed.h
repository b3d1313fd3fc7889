// LiveFeed: one shared fan-out of newly committed events to every live reader.
//
// The log hands the feed each durable commit's events (cheap, on the committing thread). A
// dispatcher thread then moves them into a bounded ring of recent events shared by all
// readers, and wakes the readers waiting for them; events the log did not hand over (those
// committed while the feed started) it reads from the log. Readers read from
// the ring, or from disk when they have fallen behind it, so a slow reader costs neither the
// writers' speed nor unbounded memory: it holds at most what it asked to read.
// The hand-off queue between the log and the dispatcher is bounded in bytes too
// (handoff_bytes): events handed over while it is full are dropped there and read back from
// the log by the dispatcher, so a stalled dispatcher costs disk reads, never memory.
//
// Thread-safe. Wake callbacks run on the dispatcher thread or on one of its wake threads
// (WakePool: the wakes of one batch run in parallel), must not block for long, and must be
// safe to run concurrently with other readers' wakes.
#ifndef IRM_ENGINE_SUBSCRIPTION_LIVE_FEED_H_
#define IRM_ENGINE_SUBSCRIPTION_LIVE_FEED_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/mutex.h"
#include "engine/log/event_log.h"
#include "engine/subscription/wake_pool.h"

namespace irm::subscription {

using SharedEvent = std::shared_ptr<const log::EventRecord>;

// The serialized EventRecord of `event` when the feed made `event` from the stored bytes
// (every event that passes through the ring): made once, shared by every reader, so a
// reader that sends events on can send these bytes instead of re-encoding a copy per
// reader. nullptr for events made elsewhere. Valid as long as `event` is.
const std::string* EncodedForm(const SharedEvent& event);

// The size of `event`'s serialized EventRecord: its EncodedForm's, or computed.
size_t EncodedSize(const SharedEvent& event);

struct LiveFeedOptions {
  size_t ring_events = 65536;       // at most this many recent events are kept in memory
  size_t ring_bytes = 64u << 20;    // and at most about this many bytes of them
  size_t wake_threads = 0;          // threads running wakes (dispatcher included); 0: cores
  // Handed-over events waiting for the dispatcher hold at most about this many bytes
  // (a commit's events are taken whole, or dropped whole and read from the log).
  size_t handoff_bytes = 32u << 20;
};

// The hand-off queue's use and bound, for metrics.
struct HandoffUse {
  size_t bytes = 0;       // held now
  size_t max_bytes = 0;   // the bound (LiveFeedOptions::handoff_bytes)
  uint64_t dropped = 0;   // events dropped because it was full (read from the log instead)
};

class LiveFeed {
 public:
  // Becomes `log`'s commit listener. `log` must outlive the feed.
  explicit LiveFeed(log::EventLog* log, LiveFeedOptions options = {});
  ~LiveFeed();

  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // The last position whose events readers may see. Monotonic; never ahead of the log.
  uint64_t head() const;

  // The log's durable head, which head() reaches a moment later. Thread-safe.
  uint64_t log_head() const { return log_->HeadPosition(); }

  // The last acknowledged append's position: a subscription "from the end" starts after it.
  // The log's head moves before an append is answered, head() a moment later (the feed's
  // listener runs after the answer), so this is the larger of the two. Thread-safe.
  uint64_t acknowledged_head() const { return std::max(head(), log_head()); }

  // Up to `max` events from position `from` (inclusive) up to head(), in order, and no more
  // than one message's worth (log::MessageBudget): from the ring when it holds them,
  // otherwise from disk (the stored bytes, so every event has its EncodedForm). Empty if
  // from > head().
  absl::StatusOr<std::vector<SharedEvent>> Read(uint64_t from, size_t max) const;

  // Arranges for `wake` to run once, when head() >= position, on the dispatcher thread or
  // one of its wake threads (see the class comment). Returns false, and registers nothing,
  // if head() >= position already or the feed is stopped (see stopped()); otherwise sets
  // `id` for Cancel().
  using WaitId = uint64_t;
  bool WaitFor(uint64_t position, std::function<void()> wake, WaitId* id);
  // Drops a pending wait; harmless if it already ran.
  void Cancel(WaitId id);

  // How many readers are waiting for new events, and how many events the ring holds.
  size_t waiting() const;
  size_t ring_size() const;
  HandoffUse handoff() const;

  // Stops the dispatcher and wakes every waiter once so it can notice. Idempotent.
  void Stop();
  // True once Stop() began: readers should end their subscriptions.
  bool stopped() const;

 private:
  struct Waiter {
    uint64_t position;
    std::function<void()> wake;
  };

  void OnCommit(uint64_t log_head, std::vector<log::CommittedEvent> events);
  void Dispatch();
  // Appends events from..to, read from the log, to `events`; an error if any is missing.
  absl::Status ReadFromLog(uint64_t from, uint64_t to, std::vector<SharedEvent>* events);
  // Puts handed-over events the dispatcher could not place yet back in front of handed_.
  void Requeue(std::deque<log::CommittedEvent> handed);
  // Moves the oldest events out of the ring into `trimmed` until it is within its bounds
  // (the caller frees them after releasing mu_).
  void TrimRing(std::vector<SharedEvent>* trimmed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  log::EventLog* const log_;
  const LiveFeedOptions options_;

  mutable common::Mutex mu_;
  uint64_t log_head_ ABSL_GUARDED_BY(mu_);        // what the log has committed
  uint64_t head_ ABSL_GUARDED_BY(mu_);            // what readers may see
  std::deque<SharedEvent> ring_ ABSL_GUARDED_BY(mu_);  // positions head_-size+1 .. head_
  // Committed events the log handed over, in position order, not yet in the ring.
  std::deque<log::CommittedEvent> handed_ ABSL_GUARDED_BY(mu_);
  size_t handed_bytes_ ABSL_GUARDED_BY(mu_) = 0;  // HandedBytes of handed_'s events
  uint64_t handed_dropped_ ABSL_GUARDED_BY(mu_) = 0;
  size_t ring_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<WaitId, Waiter> waiters_ ABSL_GUARDED_BY(mu_);
  WaitId next_wait_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  WakePool wake_pool_;
  std::thread dispatcher_;
};

}  // namespace irm::subscription

#endif  // IRM_ENGINE_SUBSCRIPTION_LIVE_FEED_H_
