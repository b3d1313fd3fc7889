// Test support for the cli/ unit tests (not part of irm): runs a command table in process,
// as `irm ARGS...` would, and captures what it printed. Header-only; thread-compatible (one
// registry per test).
#ifndef IRM_CLI_TEST_SUPPORT_H_
#define IRM_CLI_TEST_SUPPORT_H_

#include <sstream>
#include <string>
#include <vector>

#include "cli/core/command.h"

namespace irm::cli {

// The exit code (0 ok, 1 the command failed, 2 a usage error) and the two output streams.
struct RunResult {
  int exit_code;
  std::string out, err;
};

// registry.Run(args) with stdout and stderr captured; `args` as after the program name.
inline RunResult RunCaptured(const CommandRegistry& registry,
                             const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = registry.Run(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace irm::cli

#endif  // IRM_CLI_TEST_SUPPORT_H_
