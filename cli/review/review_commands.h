// `irm review ...`: the review workflow's commands, one ReviewService.Execute call each.
//
//   irm review schedule|assign-reviewers|launch|focal-point|kickoff|checklist|
//              circulate-checklist|desk-review|desk-review-call|
//              visit|joint-meeting|no-dialogue|postpone-visit|draft|agree|approve-summary|
//              issue-summary|publish|decline-publication|publish-checklist|redraw|withdraw|
//              defer STATE --cycle C [step flags] [--on DATE] [--on-behalf-of ROLE:STATE]
//              [--expect-revision N]
//
// Output: one line "review-KEN-2: ChecklistSubmitted recorded at position 41 (revision 5);
// stage checklist_submitted, next DeskReviewCompleted by 2016-09-01"; with --json one object
// {"stream","revision","position","event_type","stage",...}. A refused step is irmd's error
// line (FAILED_PRECONDITION naming what is allowed next) and exit 1.
#ifndef IRM_CLI_REVIEW_REVIEW_COMMANDS_H_
#define IRM_CLI_REVIEW_REVIEW_COMMANDS_H_

#include "absl/status/status.h"
#include "cli/core/command.h"
#include "irm/api/v1/review.pb.h"

namespace irm::cli {

// Adds every "review ..." command to `registry`.
void RegisterReviewCommands(CommandRegistry& registry);

// Sends `command` with ReviewService.Execute and prints the result line or JSON object.
absl::Status ExecuteAndPrint(CommandEnv& env, const api::v1::ReviewCommand& command);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_REVIEW_COMMANDS_H_
