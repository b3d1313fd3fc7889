// The rules of a review's outcomes and of the follow-up of its recommendations (issue 22,
// docs/outcomes.md), as PrepareStep (review_rules.h) applies them:
//
//  - OutcomeRecorded: an article of the review's cycle, a kind, a text; needs (existing need
//    ids of the review) on challenges only; from stage desk_review_done until the executive
//    summary is approved, dated neither before the desk review nor before the latest stage
//    step. Fills outcome_id, chapter and agreements_voided (the parties that had agreed to
//    the current draft: the fold clears their agreements, as a new draft does).
//  - RecommendationStatusChanged: a status, an existing recommendation of the review; once
//    the executive summary is issued, dated neither before the issue nor before the
//    recommendation's latest status change.
//
// Who may record them (reviewers and secretariat; focal point and secretariat) is
// engine/access/authorize's. Pure functions; thread-safe.
#ifndef IRM_ENGINE_REVIEW_OUTCOME_RULES_H_
#define IRM_ENGINE_REVIEW_OUTCOME_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "irm/event/v1/review_events.pb.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

// `on` is the event's business date, already defaulted and parsed. InvalidArgument for bad
// values (field named), FailedPrecondition for a stage or date the rules do not allow,
// NotFound for an outcome id the review does not have.
absl::Status CheckOutcome(const event::v1::ReviewState& review, const std::string& stream,
                          const std::string& state_code, int cycle, absl::CivilDay on,
                          event::v1::OutcomeRecorded* e);
absl::Status CheckRecommendationStatusChange(const event::v1::ReviewState& review,
                                             const std::string& stream, absl::CivilDay on,
                                             event::v1::RecommendationStatusChanged* e);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_OUTCOME_RULES_H_
