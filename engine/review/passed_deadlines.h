// Passed deadlines (docs/deadlines.md): which of a review's indicative deadlines passed
// without the step they were set for, and the DeadlinePassed event that records each.
//
// A deadline is the one NextStepOf gives while the review waits for a step. It passed when
//  - the wait ended (an event changed the next step or its deadline: the step itself, or a
//    redraw, deferral or new checklist due date) with a business date after the deadline, or
//  - the review still waits and `today` (when given) is after the deadline.
// Void events are skipped, as every fold does. The result is a pure function of the history
// and `today`; each PassedDeadline maps to one event whose id and data are functions of
// (state, cycle, step, deadline) alone, so writing it twice writes it once.
// Pure; thread-safe.
#ifndef IRM_ENGINE_REVIEW_PASSED_DEADLINES_H_
#define IRM_ENGINE_REVIEW_PASSED_DEADLINES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "engine/log/event_log.h"
#include "engine/review/review_history.h"
#include "irm/event/v1/deadline_events.pb.h"

namespace irm::review {

inline constexpr char kDeadlinePassedType[] = "DeadlinePassed";

// The actor recorded on DeadlinePassed events: irmd itself, not a principal of the --auth file.
inline constexpr char kSystemActorName[] = "irmd";
inline constexpr char kSystemActorRole[] = "system";

// The deadlines of `history` (a review read as of now) that passed, in the order they passed
// in its history, the one still awaited last (only with `today`). DataLoss if an event does
// not fold.
absl::StatusOr<std::vector<event::v1::DeadlinePassed>> PassedDeadlines(
    const ReviewHistory& history, std::optional<absl::CivilDay> today);

// The id of the event recording `passed`: a name-based UUID of its state, cycle, step and
// deadline (16 raw bytes).
std::string DeadlineEventId(const event::v1::DeadlinePassed& passed);

// The event recording `passed`, for the stream domain::DeadlineStreamName(state, cycle):
// type DeadlinePassed, protobuf content, deterministic bytes, the system actor.
log::ProposedEvent DeadlineEvent(const event::v1::DeadlinePassed& passed);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_PASSED_DEADLINES_H_
