// ReviewHistory: one review's stream read back as it stood at a point in history (time
// travel for auditors and the secretariat), with the provenance of its folded fields.
//
// Three cuts, which combine (an event is in the cut only if it passes every one given):
//  - position: the events at log positions <= P ("what the log held after event P");
//  - business day: the events whose business date `on` is <= D, as known now ("the review
//    at the end of D"; steps are often recorded after the day they happened);
//  - recorded before: the events the log had recorded before time T ("what we knew then").
// The events in the cut are folded in log order. Pure over the log; thread-safe.
#ifndef IRM_ENGINE_REVIEW_REVIEW_HISTORY_H_
#define IRM_ENGINE_REVIEW_REVIEW_HISTORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/log/event_log.h"
#include "engine/review/voids.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

// A point in history; the default is now (every event).
struct AsOf {
  uint64_t position = UINT64_MAX;
  std::optional<absl::CivilDay> business_day;
  absl::Time recorded_before = absl::InfiniteFuture();

  bool IsNow() const {
    return position == UINT64_MAX && !business_day.has_value() &&
           recorded_before == absl::InfiniteFuture();
  }
  // "as of position 12, business date 2016-07-01, known at 2026-11-30T00:00:00Z".
  std::string Describe() const;
};

// The event's business date: the `on` of a workflow event, otherwise (or if it has none)
// the UTC day it was recorded.
std::string BusinessDate(const log::EventRecord& record);

struct HistoryEntry {
  log::EventRecord record;
  std::string on;  // BusinessDate(record)
  // Set for a void event (voids.h): listed, but not folded.
  std::optional<VoidNote> voided;
};

struct ReviewHistory {
  std::string stream;
  std::vector<HistoryEntry> events;  // the events in the cut, in log order
  event::v1::ReviewState state;      // folded from `events`
  // Field -> position of the event that last changed it (see review_provenance.h); filled
  // only when asked for.
  std::map<std::string, uint64_t> set_by;
};

// Reads and folds review `state`/`cycle` as of `as_of`, skipping void events (listed with
// their void). NotFound if no event of its stream that is not void is in the cut: the
// message says whether the stream has such events at all and, if so, where and when its
// first one is. DataLoss if a workflow event does not decode and is not void.
absl::StatusOr<ReviewHistory> ReadReviewHistory(const log::EventLog& log,
                                                const std::string& state, int cycle,
                                                const AsOf& as_of, bool with_provenance);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEW_HISTORY_H_
