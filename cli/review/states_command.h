// `irm states [--as-of DATE] [--json]`: the States parties to the Convention on a date
// (default: today, UTC), from the reference data compiled into `irm` (engine/domain,
// states_parties.cc names the sources). Needs no server: the list is the one this build of
// irm and irmd share.
//
// With --json, one object per party and line: code, name, region, legal_system (list of
// family names), party_since (YYYY-MM-DD); the count on the date is the number of lines.
// Without it, an aligned table and a count line.
#ifndef IRM_CLI_REVIEW_STATES_COMMAND_H_
#define IRM_CLI_REVIEW_STATES_COMMAND_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "states" to `registry`.
void RegisterStatesCommand(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_STATES_COMMAND_H_
