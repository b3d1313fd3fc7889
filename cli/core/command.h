// The `irm` command table: every subcommand is one Command registered by name, so adding
// `irm subscribe` or `irm review schedule` is one Add() call in the file that implements it.
//
// Names are one or more words ("read", "review schedule"); the words of a multi-word name
// form a group, and `irm review --help` lists the group. Global flags (--server, --token,
// --tls-ca, --json) and --help/-h are accepted before or after the subcommand.
//
// Thread-compatible; built once in main.
#ifndef IRM_CLI_CORE_COMMAND_H_
#define IRM_CLI_CORE_COMMAND_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cli/core/connection.h"
#include "cli/core/flags.h"

namespace irm::cli {

// What a running command gets.
struct CommandEnv {
  const ParsedArgs& args;  // positional arguments and this command's flags
  Connection& connection;  // connects on first use; options() holds the global flags
  std::ostream& out;       // results (stdout)
  std::ostream& err;       // progress and summaries (stderr)
  bool json() const { return connection.options().json; }
};

struct Command {
  std::string name;             // "append", or words separated by one space: "review schedule"
  std::string arguments;        // positional part of the usage line: "STREAM TYPE"
  std::string summary;          // one line for `irm --help`
  std::string details;          // optional paragraph(s) for `irm NAME --help`
  std::vector<FlagSpec> flags;  // command-specific flags (globals are added)
  std::vector<std::string> examples;  // full command lines
  size_t min_args = 0;                // positional argument count bounds
  size_t max_args = 0;
  // Runs the command. Errors are printed by the registry as one status line; use
  // UsageError (cli_status.h) for bad arguments so the exit code is 2.
  std::function<absl::Status(CommandEnv&)> run;
};

// The flags every command accepts (--server, --token, --tls-ca, --json, --help).
const std::vector<FlagSpec>& GlobalCommandFlags();

class CommandRegistry {
 public:
  // Registers `command`. Names must be unique.
  void Add(Command command);

  // Runs one command line (argv without the program name) and returns the exit code. Help
  // goes to `out`; a failure is one status line on `err`.
  int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) const;

  // Every registered command, in registration order (for shell completion and tests).
  const std::vector<Command>& commands() const { return commands_; }

 private:
  absl::Status Dispatch(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) const;
  const Command* Find(absl::string_view name) const;
  bool IsGroup(absl::string_view prefix) const;
  std::string TopHelp() const;
  std::string GroupHelp(absl::string_view group) const;
  std::string CommandHelp(const Command& command) const;

  std::vector<Command> commands_;
};

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_COMMAND_H_
