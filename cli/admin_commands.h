// `irm admin ...`: operating irmd through AdminService.
//
//   irm admin subscriptions   live subscriptions and how far behind the head each is
//   irm admin projections     projections: checkpoint, lag, error, state digest
//   irm admin rebuild NAME    replays a projection and compares digests; exit 1 if they differ
//   irm admin replay-check    replays every projection in scratch space against the live
//                             state; exit 1 naming those that differ
//
// Human output is an aligned table (or one summary line for rebuild); --json prints one
// object per row, or one object for rebuild.
#ifndef IRM_CLI_ADMIN_COMMANDS_H_
#define IRM_CLI_ADMIN_COMMANDS_H_

#include "cli/command.h"

namespace irm::cli {

// Adds "admin subscriptions", "admin projections", "admin rebuild" and "admin replay-check"
// to `registry`.
void RegisterAdminCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_ADMIN_COMMANDS_H_
