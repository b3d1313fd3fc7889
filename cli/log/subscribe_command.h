// `irm subscribe`: follows the log live through LogService.Subscribe.
//
// Prints each matching event as it arrives, one line per event (the `irm read` line, or one
// EventToJson object with --json), flushed after every line so pipes see events at once.
// stdout carries events only; in human mode stderr gets "caught up at position N" once.
//
// Ends with exit 0 after --count events or on SIGINT/SIGTERM (the call is cancelled
// first); when irmd ends the stream (UNAVAILABLE while it shuts down) the status line is
// printed and the exit code is 1.
#ifndef IRM_CLI_LOG_SUBSCRIBE_COMMAND_H_
#define IRM_CLI_LOG_SUBSCRIBE_COMMAND_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "subscribe" to `registry`.
void RegisterSubscribeCommand(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_LOG_SUBSCRIBE_COMMAND_H_
