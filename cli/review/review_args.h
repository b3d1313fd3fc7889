// Local checks and shared flags of the review commands (`irm review ...`, `irm need ...`,
// `irm lots ...`, the questions). Only obviously malformed input is refused here, as a usage
// error (exit 2, "INVALID_ARGUMENT: ..."): a cycle other than 1 or 2, a number that is not
// one, a date that is not a real YYYY-MM-DD day, a malformed need id. Domain rules (which
// States exist, which articles a cycle reviews, what step is allowed now) are irmd's.
//
// Pure functions; thread-safe.
#ifndef IRM_CLI_REVIEW_REVIEW_ARGS_H_
#define IRM_CLI_REVIEW_REVIEW_ARGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cli/core/flags.h"
#include "irm/api/v1/review.pb.h"

namespace irm::cli {

// --cycle: 1 or 2. Absent: a usage error if `required`, else 0 ("both cycles").
absl::StatusOr<int> CycleFlag(const ParsedArgs& args, bool required);

// A positive integer flag (--year, --slot, --article). nullopt if absent and not `required`.
absl::StatusOr<std::optional<int>> IntFlag(const ParsedArgs& args, absl::string_view flag,
                                           bool required);

// A string flag that must be present and non-empty.
absl::StatusOr<std::string> RequiredFlag(const ParsedArgs& args, absl::string_view flag);

// A YYYY-MM-DD flag; "" if absent. `what` names it in the error ("--on").
absl::StatusOr<std::string> DateFlag(const ParsedArgs& args, absl::string_view flag);

// True if `text` is a real calendar day written YYYY-MM-DD; sets *day if given.
bool ParseDay(absl::string_view text, absl::CivilDay* day = nullptr);
std::string FormatDay(absl::CivilDay day);
// `day` plus whole months, clamped to the month's end (Jan 31 + 1 month = Feb 28/29).
absl::CivilDay AddMonths(absl::CivilDay day, int months);

// --as-of: "" (now), a log position (digits) or a YYYY-MM-DD date; `allow_position` false
// for questions that judge overdue on a date only.
absl::StatusOr<std::string> AsOfFlag(const ParsedArgs& args, bool allow_position);

// A need id "KEN-2-3": three upper-case letters, the cycle (1 or 2), the need's number.
struct NeedIdParts {
  std::string state;
  int cycle = 0;
  int number = 0;
};
absl::StatusOr<NeedIdParts> ParseNeedIdArg(absl::string_view need_id);

// The flags every workflow command takes: --cycle, --on, --on-behalf-of, --expect-revision,
// followed by `extra`.
std::vector<FlagSpec> ReviewFlags(std::vector<FlagSpec> extra, bool with_cycle = true);

// A ReviewCommand for `state` and `cycle` with on, on_behalf_of and the expected revision
// taken from the flags of ReviewFlags(). --on-behalf-of must read ROLE:STATE.
absl::StatusOr<api::v1::ReviewCommand> BaseCommand(const ParsedArgs& args, const std::string& state,
                                                   int cycle);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_REVIEW_ARGS_H_
