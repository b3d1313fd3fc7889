// Deadlines: each review's next step, that step's indicative deadline (the guidelines'
// schedule counted from the launch, t0), and whether it is overdue as of a date.
// Overdue never blocks anything. Pure; thread-safe.
#ifndef IRM_ENGINE_REVIEW_DEADLINES_H_
#define IRM_ENGINE_REVIEW_DEADLINES_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

struct NextStep {
  std::string event_type;                // "" when the review is completed
  std::optional<absl::CivilDay> deadline;  // unknown before the launch
};

// | stage                 | next step                 | deadline                  |
// | scheduled             | ReviewersDrawn            | -                         |
// | reviewers_drawn       | ReviewLaunched            | -                         |
// | launched              | FocalPointAppointed       | t0 + 3 weeks              |
// | focal_point_appointed | KickoffCallHeld           | t0 + 1 month              |
// | kickoff_held          | ChecklistSubmitted        | checklist due, else t0+2m |
// | checklist_submitted   | DeskReviewCompleted       | circulation, else         |
// |                       |                           | checklist, + 1 month      |
// | desk_review_done      | CountryVisitHeld (or ...) | t0 + 4 months             |
// | dialogue_held         | DraftReportCirculated     | t0 + 5 months             |
// | draft_report          | ExecutiveSummaryApproved  | t0 + 6 months             |
// | summary_approved      | ExecutiveSummaryIssued    | approval + 2 months       |
NextStep NextStepOf(const event::v1::ReviewState& review);

// The ReviewState field the next step's deadline is counted from ("launched_on",
// "checklist_due", "checklist_circulated_on", "checklist_on", "summary_approved_on"); ""
// when it has no deadline.
std::string DeadlineBasis(const event::v1::ReviewState& review);

// True if the next step has a deadline before `as_of`.
bool IsOverdue(const event::v1::ReviewState& review, absl::CivilDay as_of);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_DEADLINES_H_
