#include "services/review/history_point.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/review/dates.h"

namespace irm::services {
namespace {

bool AllDigits(const std::string& text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

std::optional<absl::CivilDay> Day(const std::string& text) {
  absl::StatusOr<absl::CivilDay> day = review::ParseDate(text, "date");
  if (!day.ok()) return std::nullopt;
  return *day;
}

}  // namespace

absl::StatusOr<HistoryPoint> ParseHistoryPoint(const std::string& as_of,
                                               const std::string& known_at) {
  HistoryPoint point;
  if (!as_of.empty()) {
    if (AllDigits(as_of)) {
      if (!absl::SimpleAtoi(as_of, &point.cut.position) || point.cut.position == 0) {
        return common::InvalidField(
            "as_of", "INVALID_POSITION",
            absl::StrCat("--as-of position ", common::Quote(as_of),
                         " must be a log position from 1 up"));
      }
    } else if (std::optional<absl::CivilDay> day = Day(as_of)) {
      point.cut.business_day = *day;
      point.judge_on = *day;
    } else {
      return common::InvalidField(
          "as_of", "INVALID_DATE",
          absl::StrCat("--as-of ", common::Quote(as_of),
                       " is neither a position (e.g. 41) nor a date (e.g. 2019-09-30)"));
    }
  }
  if (!known_at.empty()) {
    absl::Time t;
    std::string error;
    if (std::optional<absl::CivilDay> day = Day(known_at)) {
      point.cut.recorded_before = absl::FromCivil(*day + 1, absl::UTCTimeZone());
      if (!point.judge_on && point.cut.position == UINT64_MAX) point.judge_on = *day;
    } else if (absl::ParseTime(absl::RFC3339_full, known_at, &t, &error)) {
      point.cut.recorded_before = t + absl::Microseconds(1);
      if (!point.judge_on && point.cut.position == UINT64_MAX) {
        point.judge_on = review::DayOf(t);
      }
    } else {
      return common::InvalidField(
          "known_at", "INVALID_DATE",
          absl::StrCat("--known-at ", common::Quote(known_at),
                       " is neither a date (2026-11-30) nor an RFC 3339 time "
                       "(2026-11-30T03:10:00Z)"));
    }
  }
  return point;
}

absl::CivilDay JudgeDay(const HistoryPoint& point, const log::EventLog& log,
                        const review::ReviewHistory& history, absl::CivilDay today) {
  if (point.judge_on) return *point.judge_on;
  if (point.cut.position == UINT64_MAX) return today;
  std::optional<absl::CivilDay> reached;
  for (const review::HistoryEntry& entry : history.events) {
    std::optional<absl::CivilDay> day = Day(entry.on);
    if (day && (!reached || *day > *reached)) reached = day;
  }
  log::ReadAllOptions options;
  options.from_position = point.cut.position;
  options.max_count = 1;
  absl::StatusOr<std::vector<log::EventRecord>> at = log.ReadAll(options);
  if (at.ok() && !at->empty() && (*at)[0].position() == point.cut.position) {
    std::optional<absl::CivilDay> day = Day(review::BusinessDate((*at)[0]));
    if (day && (!reached || *day > *reached)) reached = day;
  }
  return reached.value_or(today);
}

}  // namespace irm::services
