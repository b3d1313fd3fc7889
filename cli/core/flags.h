// Command-line flags for `irm` subcommands: a hand-written parser, no third-party library.
//
// Accepted forms: `--name value`, `--name=value`, `--switch`, `-h`/`--help`, and `--` to end
// flags. A lone `-` is a positional argument (stdin). Flags and positional arguments may be
// interleaved in any order; a value-taking flag always consumes the next argument, so
// `--data -` and `--from -1` reach the command as values.
//
// ParsedArgs is a value type; thread-compatible.
#ifndef IRM_CLI_CORE_FLAGS_H_
#define IRM_CLI_CORE_FLAGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace irm::cli {

// One flag a command accepts.
struct FlagSpec {
  std::string name;        // without dashes: "from"
  std::string value_name;  // "N", "JSON"; empty for a switch that takes no value
  std::string help;        // one line
};

// The result of parsing: positional arguments and flag values, in command-line order.
class ParsedArgs {
 public:
  const std::vector<std::string>& positional() const { return positional_; }
  // True if the flag was given (a switch, or a value flag at least once).
  bool Has(absl::string_view flag) const;
  // The last value given for `flag`, or nullopt.
  std::optional<std::string> Value(absl::string_view flag) const;
  // Every value given for a repeatable flag, in order.
  std::vector<std::string> Values(absl::string_view flag) const;
  // The last value as a non-negative integer; nullopt if absent; a usage error naming the
  // flag if it is not a number.
  absl::StatusOr<std::optional<uint64_t>> Uint64(absl::string_view flag) const;

  void AddPositional(std::string arg) { positional_.push_back(std::move(arg)); }
  void AddValue(const std::string& flag, std::string value) {
    values_[flag].push_back(std::move(value));
  }

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

// Parses `args` against `specs`. `-h` is recorded as "help" (add a "help" spec to accept
// it). Errors are usage errors (cli_status.h) that name `command` ("irm read"), e.g.
// "unknown flag --foo for 'irm read'; see 'irm read --help'".
absl::StatusOr<ParsedArgs> ParseFlags(const std::vector<std::string>& args,
                                      const std::vector<FlagSpec>& specs,
                                      absl::string_view command);

// Help lines for `specs`: "  --from N         first revision to read", aligned.
std::string FormatFlagHelp(const std::vector<FlagSpec>& specs);

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_FLAGS_H_
