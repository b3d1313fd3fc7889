// How the `irm` client reports failure (interface.md): exit status 0 on success, otherwise
// one line on stderr that starts with the gRPC status name ("ABORTED: ...").
//
// Exit codes: 2 for usage errors (unknown flag or command, wrong arguments), 1 for every
// other failure (RPC errors, unreadable files, malformed input). Usage errors are
// InvalidArgument statuses carrying a marker payload, so they flow through ordinary
// absl::Status plumbing.
#ifndef IRM_CLI_CORE_CLI_STATUS_H_
#define IRM_CLI_CORE_CLI_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace irm::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// An InvalidArgument status marked as a usage error.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

// kExitOk, kExitUsage or kExitFailure for `status`.
int ExitCode(const absl::Status& status);

// "CODE_NAME: message" on one line (newlines in the message become spaces), no newline at
// the end. For OK, "OK".
std::string StatusLine(const absl::Status& status);

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_CLI_STATUS_H_
