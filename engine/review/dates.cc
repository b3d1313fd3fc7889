#include "engine/review/dates.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/common/quote.h"

namespace irm::review {

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text, absl::string_view what) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " ", common::Quote(text), " is not a date: write YYYY-MM-DD, e.g. 2026-11-23"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int y = 0, m = 0, d = 0;
  if (!absl::SimpleAtoi(text.substr(0, 4), &y) || !absl::SimpleAtoi(text.substr(5, 2), &m) ||
      !absl::SimpleAtoi(text.substr(8, 2), &d)) {
    return bad();
  }
  for (char c : text) {
    if (c != '-' && !absl::ascii_isdigit(static_cast<unsigned char>(c))) return bad();
  }
  absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d || y < 1990 || y > 2200) return bad();
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  absl::CivilMonth month = absl::CivilMonth(day) + months;
  absl::CivilDay first(month);
  absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  absl::CivilDay wanted = first + (day.day() - 1);
  return wanted > last ? last : wanted;
}

}  // namespace irm::review
