// `irm history STATE --cycle C`: every event of one review, with its business date, when
// it was recorded and by whom; `--explain FIELD` says which event gave a field of the
// folded review its value. `--as-of` and `--known-at` cut history as `irm status` does
// (docs/audit-history.md).
//
// Human output is an aligned table (or one sentence for --explain); --json prints one
// object per event (or one object for --explain).
#ifndef IRM_CLI_AUDIT_HISTORY_COMMANDS_H_
#define IRM_CLI_AUDIT_HISTORY_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "cli/core/command.h"
#include "irm/api/v1/review.pb.h"

namespace irm::cli {

// "anonymous (secretariat)", "Ana Ruiz (focal_point, KEN)".
std::string ActorText(const event::v1::Principal& actor);

// The --explain sentence for `field` of `history`; a usage error listing the fields if
// `field` is not one of them.
absl::StatusOr<std::string> ExplainSentence(const api::v1::ReviewHistory& history,
                                            const std::string& field);

// Adds "history" to `registry`.
void RegisterHistoryCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_HISTORY_COMMANDS_H_
