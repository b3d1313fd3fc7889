// `irm sample load [--seed N] [--cycles 1,2]`: loads the SYNTHETIC sample data set (every
// State party on the sample's last day, both cycles) through the real ReviewService
// commands, never writing events directly. What each review goes through is sample_plan.h's
// plan. The year draw takes the parties on its date; later parties join year 5 (a second
// year draw on the year-5 reviewer draw's date, a last one on the last day). A year-5
// review whose State became a party after its year's reviewer draw stays scheduled.
//
// Idempotent: the loader first reads where each review stands (one ListReviews per cycle)
// and sends only the steps its plan has not reached yet; draws already made are skipped,
// needs already identified are not added again. Loading twice appends nothing the second
// time. Deterministic by seed, given irmd's deterministic draws.
//
// Progress goes to stderr; the summary ("sample: 380 reviews, N events appended, M needs")
// to stdout, or one JSON object with --json. The first refused command stops the load with
// its error, naming the review and the step.
#ifndef IRM_CLI_ADMIN_SAMPLE_COMMANDS_H_
#define IRM_CLI_ADMIN_SAMPLE_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "sample load" to `registry`.
void RegisterSampleCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_ADMIN_SAMPLE_COMMANDS_H_
