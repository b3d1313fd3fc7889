#include "engine/subscription/subscription_cursor.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace irm::subscription {
namespace {

// Positions read from the feed per scan step.
constexpr size_t kScanChunk = 512;

}  // namespace

SubscriptionCursor::SubscriptionCursor(const LiveFeed* feed, EventFilter filter, uint64_t from,
                                       uint64_t checkpoint_interval)
    : feed_(feed),
      filter_(std::move(filter)),
      checkpoint_interval_(std::max<uint64_t>(checkpoint_interval, 1)),
      next_(std::max<uint64_t>(from, 1)),
      last_reported_(next_ - 1) {}

absl::StatusOr<SubscriptionCursor::Step> SubscriptionCursor::Next(size_t max_events) {
  Step step;
  for (;;) {
    const uint64_t head = feed_->head();
    step.head = head;
    if (next_ > head) {
      step.checkpoint = next_ - 1;
      if (!caught_up_sent_) {
        caught_up_sent_ = true;
        step.caught_up = true;
        last_reported_ = step.checkpoint;
        return step;
      }
      if (step.checkpoint > last_reported_) {
        last_reported_ = step.checkpoint;
        return step;
      }
      step.wait = true;
      return step;
    }
    absl::StatusOr<std::vector<SharedEvent>> events =
        feed_->Read(next_, filter_.matches_everything() ? max_events : kScanChunk);
    if (!events.ok()) return events.status();
    if (events->empty()) {
      return absl::DataLossError(absl::StrCat("the log has no event at position ", next_,
                                              " although its head is ", head));
    }
    for (SharedEvent& event : *events) {
      next_ = event->position() + 1;
      if (filter_.Matches(*event)) {
        step.events.push_back(std::move(event));
        if (step.events.size() >= max_events) break;
      }
    }
    step.checkpoint = next_ - 1;
    if (!step.events.empty() || step.checkpoint - last_reported_ >= checkpoint_interval_) {
      last_reported_ = step.checkpoint;
      return step;
    }
  }
}

}  // namespace irm::subscription
