// Business dates (YYYY-MM-DD, proleptic Gregorian, no time zone) for the review workflow.
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_REVIEW_DATES_H_
#define IRM_ENGINE_REVIEW_DATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace irm::review {

// InvalidArgument naming `what` and the text unless it is a real YYYY-MM-DD date.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text, absl::string_view what);
std::string FormatDate(absl::CivilDay day);
// The UTC calendar day of `t`.
absl::CivilDay DayOf(absl::Time t);
// `day` plus whole months, clamped to the month's end (Jan 31 + 1 month = Feb 28/29).
absl::CivilDay AddMonths(absl::CivilDay day, int months);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_DATES_H_
