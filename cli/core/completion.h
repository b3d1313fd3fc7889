// Shell completion for irm: `irm completion bash` prints a bash script generated from the
// command table, so it always matches the commands and flags of this build.
//
// The script completes command words (`irm rev<TAB>` -> review, `irm review sch<TAB>` ->
// schedule), flags of the command typed so far plus the global flags (`irm read s --fr<TAB>`
// -> --from), and file names for other arguments.
#ifndef IRM_CLI_CORE_COMPLETION_H_
#define IRM_CLI_CORE_COMPLETION_H_

#include <string>

#include "cli/core/command.h"

namespace irm::cli {

// The bash completion script for `registry` (defines _irm and runs `complete -F _irm irm`).
std::string BashCompletionScript(const CommandRegistry& registry);

// Adds `irm completion bash`. Call after every other command is registered; `registry`
// must outlive its use (it is main's).
void RegisterCompletionCommand(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_COMPLETION_H_
