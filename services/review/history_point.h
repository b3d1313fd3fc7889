// HistoryPoint: the `as_of` and `known_at` of a review question, parsed into a cut of the
// log (engine/review/review_history.h) and the day overdue is judged on.
//
//  as_of "41"          events at positions <= 41
//  as_of "2019-09-30"  events whose business date is <= 2019-09-30, as known now
//  known_at "2026-11-30" or "2026-11-30T03:10:00Z"
//                      events recorded by the end of that day / at or before that instant
//
// Overdue is judged on: the as_of date; else, for a position, the business date reached by
// then (the later of the event at that position and the review's own last step); else the
// known_at day; else today. Pure functions; thread-safe.
#ifndef IRM_SERVICES_REVIEW_HISTORY_POINT_H_
#define IRM_SERVICES_REVIEW_HISTORY_POINT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "engine/log/event_log.h"
#include "engine/review/review_history.h"

namespace irm::services {

struct HistoryPoint {
  review::AsOf cut;
  std::optional<absl::CivilDay> judge_on;  // fixed by a date; nullopt: see JudgeDay
};

// InvalidArgument naming the flag and the accepted forms for malformed text.
absl::StatusOr<HistoryPoint> ParseHistoryPoint(const std::string& as_of,
                                               const std::string& known_at);

// The day overdue is judged on for `point`, once `history` is folded (see above).
absl::CivilDay JudgeDay(const HistoryPoint& point, const log::EventLog& log,
                        const review::ReviewHistory& history, absl::CivilDay today);

}  // namespace irm::services

#endif  // IRM_SERVICES_REVIEW_HISTORY_POINT_H_
