// SubscriptionCursor: the state machine of one subscription, independent of the transport.
//
// It walks the log from a start position through the LiveFeed: catching up from disk, then
// following live events, with no gap and no duplicate, in position order. Each Next() says
// either what to send (matching events, how far it has scanned, and once, that it caught
// up), or that it has nothing to say until the feed's head passes next_position().
//
// Not thread-safe: one owner drives it (the gRPC reactor, under its own lock).
#ifndef IRM_ENGINE_SUBSCRIPTION_SUBSCRIPTION_CURSOR_H_
#define IRM_ENGINE_SUBSCRIPTION_SUBSCRIPTION_CURSOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/subscription/event_filter.h"
#include "engine/subscription/live_feed.h"

namespace irm::subscription {

class SubscriptionCursor {
 public:
  struct Step {
    bool wait = false;                // nothing to send until head() >= wait_position()
    std::vector<SharedEvent> events;  // matching events, in position order
    uint64_t checkpoint = 0;          // every position up to this one has been examined
    bool caught_up = false;           // the first time the cursor reached the head, once
                                      // the feed holds everything the log held then
    uint64_t head = 0;
  };

  // Starts at position `from` (inclusive, at least 1; the caller keeps it at most the log's
  // head + 1). A checkpoint-only step is made once exactly `checkpoint_interval` (at least
  // 1) positions were scanned since the previous step without a match, and when the head is
  // reached after unmatched positions. A step's checkpoint is never above its head.
  // `feed` must outlive the cursor.
  //
  // `wait_for_start` (cluster mode, docs/cluster.md): `from` may lie past the head of this
  // node's copy (a client resuming from a checkpoint it got from a node further ahead); the
  // cursor then says nothing, not even "caught up", until the head reaches `from` - 1, so it
  // never reports a checkpoint below the client's own. Without it a start past the head is
  // reported caught up at the head at once.
  SubscriptionCursor(const LiveFeed* feed, EventFilter filter, uint64_t from,
                     uint64_t checkpoint_interval, bool wait_for_start = false);

  // At most `max_events` events per step, and at most one message's worth of bytes
  // (log::MessageBudget over their serialized size; a larger event comes alone). Errors are
  // the feed's read errors.
  absl::StatusOr<Step> Next(size_t max_events);

  uint64_t next_position() const { return next_; }
  // The head a waiting step waits for: next_position(), or next_position() - 1 while the
  // copy is behind a `wait_for_start` start.
  uint64_t wait_position() const;
  // True while a `wait_for_start` cursor waits for the copy to reach its start.
  bool behind_start() const;
  uint64_t last_checkpoint() const { return next_ - 1; }

 private:
  const LiveFeed* const feed_;
  const EventFilter filter_;
  const uint64_t checkpoint_interval_;
  const bool wait_for_start_;
  uint64_t next_;
  uint64_t last_reported_ = 0;  // the checkpoint of the last step returned
  bool caught_up_sent_ = false;
};

// What a subscription says when its start stayed past this node's copy of the log (at
// `copy_head`) for `waited`, with the cluster's head as last seen in etcd when known. gRPC
// Subscribe's UNAVAILABLE and /api/events' error event both say it, each adding how to resume.
std::string StartWaitExpiredMessage(uint64_t copy_head, uint64_t start, absl::Duration waited,
                                    const std::function<uint64_t()>& cluster_head);

}  // namespace irm::subscription

#endif  // IRM_ENGINE_SUBSCRIPTION_SUBSCRIPTION_CURSOR_H_
