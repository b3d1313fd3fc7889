// `irm outcome ...` and `irm recommendation ...` (issue 22, docs/outcomes.md): a review's
// outcomes and the follow-up of its recommendations, one ReviewService.Execute call each.
//
//   irm outcome add STATE --cycle C --article A
//       --kind observation|recommendation|good_practice|challenge --text TEXT
//       [--needs ID,...] [--on DATE]
//   irm recommendation status ID
//       --status not_started|partially_implemented|implemented|no_longer_relevant
//       --on DATE [--evidence TEXT]
//
// Output: the command result line (with the outcome id for `outcome add`); with --json one
// object; `outcome add --json` has outcome_id ("KEN-2-R7").
#ifndef IRM_CLI_REVIEW_OUTCOME_COMMANDS_H_
#define IRM_CLI_REVIEW_OUTCOME_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "outcome add" and "recommendation status" to `registry`.
void RegisterOutcomeCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_OUTCOME_COMMANDS_H_
