#include "cli/review/review_args.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/core/cli_status.h"
#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<int> CycleFlag(const ParsedArgs& args, bool required) {
  std::optional<std::string> text = args.Value("cycle");
  if (!text.has_value()) {
    if (required) return UsageError("--cycle C is required (1 or 2)");
    return 0;
  }
  if (*text != "1" && *text != "2") {
    return UsageError(absl::StrCat("--cycle must be 1 or 2, got '", *text, "'"));
  }
  return (*text)[0] - '0';
}

absl::StatusOr<std::optional<int>> IntFlag(const ParsedArgs& args, absl::string_view flag,
                                           bool required) {
  std::optional<std::string> text = args.Value(flag);
  if (!text.has_value()) {
    if (required) return UsageError(absl::StrCat("--", flag, " is required"));
    return std::optional<int>();
  }
  int value = 0;
  if (!AllDigits(*text) || !absl::SimpleAtoi(*text, &value) || value <= 0) {
    return UsageError(absl::StrCat("--", flag, " expects a positive integer, got '", *text, "'"));
  }
  return std::optional<int>(value);
}

absl::StatusOr<std::string> RequiredFlag(const ParsedArgs& args, absl::string_view flag) {
  std::optional<std::string> text = args.Value(flag);
  if (!text.has_value() || text->empty()) {
    return UsageError(absl::StrCat("--", flag, " is required"));
  }
  return *text;
}

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0, month = 0, dom = 0;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2)) || !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || !absl::SimpleAtoi(text.substr(8, 2), &dom)) {
    return false;
  }
  absl::CivilDay parsed(year, month, dom);
  // CivilDay normalizes out-of-range fields (Feb 30 -> Mar 2); a real day survives unchanged.
  if (parsed.year() != year || parsed.month() != month || parsed.day() != dom) return false;
  if (day != nullptr) *day = parsed;
  return true;
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  absl::CivilMonth month = absl::CivilMonth(day) + months;
  absl::CivilDay first(month);
  int last_day = (absl::CivilDay(month + 1) - 1).day();
  return first + (std::min(day.day(), last_day) - 1);
}

absl::StatusOr<std::string> DateFlag(const ParsedArgs& args, absl::string_view flag) {
  std::optional<std::string> text = args.Value(flag);
  if (!text.has_value()) return std::string();
  if (!ParseDay(*text)) {
    return UsageError(
        absl::StrCat("--", flag, " expects a date YYYY-MM-DD, e.g. 2016-09-01, got '", *text, "'"));
  }
  return *text;
}

absl::StatusOr<std::string> AsOfFlag(const ParsedArgs& args, bool allow_position) {
  std::optional<std::string> text = args.Value("as-of");
  if (!text.has_value()) return std::string();
  if (ParseDay(*text) || (allow_position && AllDigits(*text))) return *text;
  return UsageError(absl::StrCat("--as-of expects ", allow_position ? "a log position or " : "",
                                 "a date YYYY-MM-DD, got '", *text, "'"));
}

absl::StatusOr<NeedIdParts> ParseNeedIdArg(absl::string_view need_id) {
  auto malformed = [&] {
    return UsageError(absl::StrCat("malformed need id '", need_id,
                                   "': expected STATE-CYCLE-NUMBER, e.g. KEN-2-3"));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(need_id, '-');
  if (parts.size() != 3 || parts[0].size() != 3) return malformed();
  for (char c : parts[0]) {
    if (c < 'A' || c > 'Z') return malformed();
  }
  NeedIdParts result;
  result.state = std::string(parts[0]);
  if (parts[1] != "1" && parts[1] != "2") return malformed();
  result.cycle = parts[1][0] - '0';
  if (!AllDigits(parts[2]) || !absl::SimpleAtoi(parts[2], &result.number) || result.number <= 0) {
    return malformed();
  }
  return result;
}

std::vector<FlagSpec> ReviewFlags(std::vector<FlagSpec> extra, bool with_cycle) {
  std::vector<FlagSpec> flags;
  if (with_cycle) flags.push_back({"cycle", "C", "review cycle: 1 or 2 (required)"});
  flags.insert(flags.end(), extra.begin(), extra.end());
  flags.push_back({"on", "DATE", "business date of the step, YYYY-MM-DD (default: today)"});
  flags.push_back({"on-behalf-of", "ROLE:STATE", "record for someone else, e.g. focal_point:KEN"});
  flags.push_back({"expect-revision", "N", "refuse (ABORTED) unless the review is at revision N"});
  return flags;
}

absl::StatusOr<api::v1::ReviewCommand> BaseCommand(const ParsedArgs& args, const std::string& state,
                                                   int cycle) {
  api::v1::ReviewCommand command;
  command.set_state(state);
  command.set_cycle(cycle);
  IRM_ASSIGN_OR_RETURN(*command.mutable_on(), DateFlag(args, "on"));
  if (std::optional<std::string> behalf = args.Value("on-behalf-of")) {
    std::vector<absl::string_view> parts = absl::StrSplit(*behalf, ':');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return UsageError(
          absl::StrCat("--on-behalf-of expects ROLE:STATE, e.g. focal_point:KEN, "
                       "got '",
                       *behalf, "'"));
    }
    command.set_on_behalf_of(*behalf);
  }
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> revision, args.Uint64("expect-revision"));
  if (revision.has_value()) {
    command.set_expected_revision(*revision);
  }
  return command;
}

}  // namespace irm::cli
