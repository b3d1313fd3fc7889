// `irm irg ...`: the sessions of the Implementation Review Group (issue 21 section 3).
//
//   irm irg session add --number N --from DATE --to DATE [--place P]
//       ReviewService.AddIrgSession (secretariat): records IrgSessionRecorded in the stream
//       "irg-sessions". ALREADY_EXISTS for a number already recorded; INVALID_ARGUMENT for bad
//       dates or --from after --to; FAILED_PRECONDITION for dates overlapping another session.
//   irm irg sessions [--json]
//       ReviewService.ListIrgSessions: every session with the lot draws recorded at it and the
//       executive summaries made available to it; --json prints one object per session.
#ifndef IRM_CLI_REVIEW_IRG_COMMANDS_H_
#define IRM_CLI_REVIEW_IRG_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "irg session add" and "irg sessions" to `registry`.
void RegisterIrgCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_IRG_COMMANDS_H_
