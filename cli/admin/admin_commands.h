// `irm admin ...`: operating irmd through AdminService.
//
//   irm admin subscriptions   live subscriptions and how far behind the head each is
//   irm admin projections     projections: state (running, stopped at P, waiting for disk),
//                             checkpoint, lag, state digest; the reasons under the table
//   irm admin rebuild NAME    replays a projection and compares digests; exit 1 if they
//                             differ, or if it is stopped at an event that is not void
//   irm admin replay-check    replays every projection in scratch space against the live
//                             state; exit 1 naming those that differ or are stopped
//   irm admin void P --reason TEXT
//                             declares the unreadable event at P void (docs/void.md)
//
// Human output is an aligned table (or one summary line for rebuild); --json prints one
// object per row, or one object for rebuild.
#ifndef IRM_CLI_ADMIN_ADMIN_COMMANDS_H_
#define IRM_CLI_ADMIN_ADMIN_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "admin subscriptions", "admin projections", "admin rebuild", "admin replay-check"
// and "admin void" to `registry`.
void RegisterAdminCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_ADMIN_ADMIN_COMMANDS_H_
