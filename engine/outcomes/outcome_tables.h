// The outcomes report (issue 22, docs/outcomes.md): a cycle's review outcomes counted from
// the reviews' folded states, grouped by chapter, article, regional group, State, kind or
// (recommendations only) implementation status, as of any date.
//
// Counting rules:
// - An outcome counts from its business date (recorded_on) on; with an as-of date, only
//   outcomes recorded on or before it. `kind` (if set) keeps one kind.
// - A recommendation's status on a date is its latest status change on or before it
//   (review::StatusOn); not_started if none. `by_status` counts a group's recommendations
//   per status; the implementation rate is (implemented + partially_implemented / 2) over
//   the group's recommendations not marked no_longer_relevant.
// - `states` counts distinct States with at least one counted outcome in the group.
// - Grouping by status counts recommendations only.
// - Groups come in natural order (chapters II-V, articles by number, regional groups in UN
//   order, States by code, kinds and statuses in their list's order); empty ones are left out.
// Which reviews a caller may count is the caller's business (services/report).
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_OUTCOMES_OUTCOME_TABLES_H_
#define IRM_ENGINE_OUTCOMES_OUTCOME_TABLES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "engine/review/outcomes.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::outcomes {

enum class Grouping { kChapter, kArticle, kRegion, kState, kKind, kStatus };

// "chapter", "article", "region", "state", "kind", "status" and back; ParseGrouping fails
// with InvalidArgument listing them.
absl::string_view GroupingName(Grouping by);
absl::StatusOr<Grouping> ParseGrouping(absl::string_view name);

struct Group {
  std::string key;    // "II", "9", "african", "KEN", "recommendation", "implemented"
  std::string label;  // for people
  int count = 0;      // outcomes (recommendations when grouped by status)
  int states = 0;
  review::StatusTally by_status;  // the group's recommendations
};

struct Snapshot {
  std::optional<absl::CivilDay> as_of;  // nullopt: everything recorded
  int total = 0;
  int states = 0;
  int reviews = 0;           // reviews with at least one counted outcome
  int summaries_issued = 0;  // reviews counted whose summary was issued by the date
  review::StatusTally by_status;
  std::vector<Group> groups;
};

// The table over `reviews` (already those of the cycle wanted that the caller may count).
// `kind` "" for every kind. InvalidArgument for an unknown kind, or grouping by status with
// a kind other than recommendation.
absl::StatusOr<Snapshot> ComputeSnapshot(const std::vector<event::v1::ReviewState>& reviews,
                                         const std::string& kind, Grouping by,
                                         std::optional<absl::CivilDay> as_of);

}  // namespace irm::outcomes

#endif  // IRM_ENGINE_OUTCOMES_OUTCOME_TABLES_H_
