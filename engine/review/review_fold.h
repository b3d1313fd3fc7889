// The fold of a review's stream into its ReviewState (domain.md section 3).
//
// Deterministic and total: events of unknown types are ignored (schema evolution), so a
// state rebuilt from the log always equals the one built incrementally. Pure; thread-safe.
#ifndef IRM_ENGINE_REVIEW_REVIEW_FOLD_H_
#define IRM_ENGINE_REVIEW_REVIEW_FOLD_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "google/protobuf/message.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

using event::v1::ReviewState;

// A new, empty message for a review event type ("ChecklistSubmitted"), or nullptr if the
// type is not one of the workflow's.
std::unique_ptr<google::protobuf::Message> NewReviewEvent(absl::string_view type);

// True for the workflow's event types.
bool IsReviewEventType(absl::string_view type);

// The workflow's event types, in alphabetical order.
std::vector<std::string> ReviewEventTypes();

// Folds one event into `state`. DataLoss if a workflow event's data does not decode (the
// message names the event's position, type, id and stream). Void events are not skipped
// here: see ApplyToReviewUnlessVoid (voids.h).
absl::Status ApplyToReview(const log::EventRecord& record, ReviewState* state);

// Folds events of one stream, in order.
absl::StatusOr<ReviewState> FoldReview(const std::vector<log::EventRecord>& events);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEW_FOLD_H_
