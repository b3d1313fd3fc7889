// The event-log commands of `irm`: append, read and info (interface.md, "The log").
// export and import live in transfer_commands.h.
#ifndef IRM_CLI_LOG_LOG_COMMANDS_H_
#define IRM_CLI_LOG_LOG_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/core/command.h"

namespace irm::cli {

// Adds append, read and info to `registry`.
void RegisterLogCommands(CommandRegistry& registry);

// The text a flag value stands for: "-" reads stdin, "@FILE" reads FILE, anything else is
// the value itself. NotFound names `flag` and the file when it cannot be read.
absl::StatusOr<std::string> ReadFlagText(absl::string_view value, absl::string_view flag);

}  // namespace irm::cli

#endif  // IRM_CLI_LOG_LOG_COMMANDS_H_
