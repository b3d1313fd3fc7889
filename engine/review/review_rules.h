// The rules of the review workflow: which step a review may record now (domain.md section 3).
//
// PrepareStep checks one workflow event against the review's folded state and completes its
// derived fields; it never touches the log. Pure; thread-safe.
#ifndef IRM_ENGINE_REVIEW_REVIEW_RULES_H_
#define IRM_ENGINE_REVIEW_REVIEW_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/message.h"
#include "irm/event/v1/record.pb.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

struct StepContext {
  absl::CivilDay today;           // the default business date
  event::v1::Principal actor;     // who records the step
  std::string on_behalf_of;       // "focal_point:KEN" when recorded for someone
};

// Checks that `event` may be appended now to the review of `state_code` in `cycle`, whose
// stream folds to `review` (`exists`: the stream has events), and fills derived fields:
// `on` (default: ctx.today), ReviewScheduled's state, cycle and region, NeedIdentified's
// need_id and chapter, ReviewerRedrawRequested's reviewer. Errors: InvalidArgument for bad
// values (unknown State, article outside the cycle, unknown category, bad dates), NotFound
// for a step on a review never scheduled, FailedPrecondition for a step the workflow does
// not allow now (the message names the stage and what is allowed next).
absl::Status PrepareStep(const event::v1::ReviewState& review, bool exists,
                         const std::string& state_code, int cycle,
                         google::protobuf::Message* event, const StepContext& ctx);

// What the review may record next, for messages: e.g. "ReviewLaunched", or
// "CountryVisitHeld, JointMeetingHeld or DirectDialogueDeclined".
std::string AllowedNext(const event::v1::ReviewState& review);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEW_RULES_H_
