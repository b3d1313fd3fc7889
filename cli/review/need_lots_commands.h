// `irm lots ...` (the IRG's drawing of lots) and `irm need ...` (technical-assistance needs).
//
//   irm lots draw-years --cycle C [--seed N] [--on DATE]
//       ReviewService.DrawYears: every State party not yet scheduled gets a review year 1-4.
//   irm lots draw --cycle C --year Y [--seed N] [--on DATE]
//       ReviewService.DrawReviewers: two reviewers for every review of that year lacking them.
//   irm need add STATE --cycle C --article A --category K --text TEXT [--priority P]
//   irm need status NEED_ID --status current|anticipated|addressed|unmet [--provider P]
//
// Lots print one line per review drawn and a closing line with the seed; with --json one
// object per review, each carrying the seed. Need commands print the command result line;
// `need add --json` has need_id.
#ifndef IRM_CLI_REVIEW_NEED_LOTS_COMMANDS_H_
#define IRM_CLI_REVIEW_NEED_LOTS_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "lots draw-years", "lots draw", "need add" and "need status" to `registry`.
void RegisterNeedLotsCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_NEED_LOTS_COMMANDS_H_
