#include "engine/subscription/subscription_cursor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/log/message_budget.h"

namespace irm::subscription {
namespace {

// Positions read from the feed per scan step of a filtered subscription (fewer when a
// checkpoint is due sooner, and never more than one message's worth of bytes).
constexpr size_t kScanChunk = 512;

}  // namespace

SubscriptionCursor::SubscriptionCursor(const LiveFeed* feed, EventFilter filter, uint64_t from,
                                       uint64_t checkpoint_interval, bool wait_for_start)
    : feed_(feed),
      filter_(std::move(filter)),
      checkpoint_interval_(std::max<uint64_t>(checkpoint_interval, 1)),
      wait_for_start_(wait_for_start),
      next_(std::max<uint64_t>(from, 1)),
      last_reported_(next_ - 1) {}

bool SubscriptionCursor::behind_start() const {
  return wait_for_start_ && !caught_up_sent_ && feed_->head() + 1 < next_;
}

uint64_t SubscriptionCursor::wait_position() const {
  return behind_start() ? next_ - 1 : next_;
}

absl::StatusOr<SubscriptionCursor::Step> SubscriptionCursor::Next(size_t max_events) {
  max_events = std::max<size_t>(max_events, 1);
  Step step;
  log::MessageBudget budget;
  for (;;) {
    const uint64_t head = feed_->head();
    step.head = head;
    if (next_ > head) {
      // Never past the head: a start beyond it (the feed a moment behind the log) counts
      // as examined only once the head gets there.
      step.checkpoint = std::min(next_ - 1, head);
      if (wait_for_start_ && !caught_up_sent_ && head + 1 < next_) {
        // This copy is behind the client's start: nothing to say until it gets there.
        step.wait = true;
        return step;
      }
      if (!caught_up_sent_ && feed_->log_head() >= next_) {
        // The log holds appends the feed has not taken in yet (some the client may have
        // seen acknowledged): "caught up" waits for the feed to reach them.
        step.wait = true;
        return step;
      }
      if (!caught_up_sent_) {
        caught_up_sent_ = true;
        step.caught_up = true;
        last_reported_ = std::max(last_reported_, step.checkpoint);
        return step;
      }
      if (step.checkpoint > last_reported_) {
        last_reported_ = step.checkpoint;
        return step;
      }
      step.wait = true;
      return step;
    }
    // A filtered scan reads no further than where the next checkpoint is due, so a
    // checkpoint comes after exactly checkpoint_interval_ unmatched positions.
    const uint64_t due = last_reported_ + checkpoint_interval_ - (next_ - 1);
    const size_t want = filter_.matches_everything()
                            ? max_events
                            : static_cast<size_t>(std::min<uint64_t>(kScanChunk, due));
    absl::StatusOr<std::vector<SharedEvent>> events = feed_->Read(next_, want);
    if (!events.ok()) return events.status();
    if (events->empty()) {
      return absl::DataLossError(absl::StrCat("the log has no event at position ", next_,
                                              " although its head is ", head));
    }
    for (SharedEvent& event : *events) {
      const uint64_t position = event->position();
      if (filter_.Matches(*event)) {
        // What does not fit this step is read again for the next one.
        if (step.events.size() >= max_events || !budget.TryAdd(EncodedSize(event))) break;
        step.events.push_back(std::move(event));
      }
      next_ = position + 1;
    }
    step.checkpoint = next_ - 1;
    if (!step.events.empty() || step.checkpoint - last_reported_ >= checkpoint_interval_) {
      last_reported_ = step.checkpoint;
      return step;
    }
  }
}

std::string StartWaitExpiredMessage(uint64_t copy_head, uint64_t start, absl::Duration waited,
                                    const std::function<uint64_t()>& cluster_head) {
  std::string message =
      absl::StrCat("this node's copy of the log is at position ", copy_head,
                   ", behind the subscription's start ", start, " after waiting ",
                   absl::FormatDuration(waited));
  if (cluster_head) {
    absl::StrAppend(&message, " (the cluster's head was ", cluster_head(),
                    " when this node last reached etcd)");
  }
  return message;
}

}  // namespace irm::subscription
