// The secretariat's tables of technical-assistance needs (domain.md sections 4 and 7),
// computed from the needs projection's records: individual needs and distinct States with
// needs, grouped by chapter, article, category, regional group or State, each with its
// status breakdown.
//
// Counting rules:
// - A need counts from its business date (identified_on) on; with an as-of date, only
//   needs identified on or before it. A status change never removes a need from a count.
// - Status on a date is that of the status step with the latest (business date, position)
//   on or before the date; "identified" if none. Without an as-of date, the latest step.
// - `states` is the number of distinct States with at least one counted need in the group.
// - Groups come in the dimension's natural order (chapters II-V, articles by number,
//   categories in domain.md's order, regional groups in UN order, States by code); groups
//   without needs are left out.
//
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_NEEDS_NEEDS_TABLES_H_
#define IRM_ENGINE_NEEDS_NEEDS_TABLES_H_

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "irm/event/v1/need_record.pb.h"

namespace irm::needs {

enum class Dimension { kChapter, kArticle, kCategory, kRegion, kState };

// "chapter", "article", "category", "region", "state" and back. ParseDimension fails with
// InvalidArgument listing the five.
absl::string_view DimensionName(Dimension dimension);
absl::StatusOr<Dimension> ParseDimension(absl::string_view name);

// OK for "" (all chapters) and II, III, IV, V; InvalidArgument otherwise.
absl::Status CheckChapter(absl::string_view chapter);

// The label of a group key under `by` ("Chapter II: preventive measures", "Art. 9 Public
// procurement ...", "Capacity building", "African", "Kenya"), and its place in `by`'s
// natural order (`cycle` orders categories; 0 for both). Shared with the outcomes report.
std::string GroupLabel(const std::string& key, Dimension by);
std::tuple<int, std::string> GroupOrder(const std::string& key, Dimension by, int cycle);

// The statuses in report order: identified, current, anticipated, addressed, unmet.
const std::vector<std::string>& ReportStatuses();

struct TableSpec {
  Dimension by = Dimension::kChapter;
  std::string chapter;  // "" (all) or only needs of this chapter
};

using StatusCounts = std::map<std::string, int>;  // status -> needs; every status present

struct GroupCount {
  std::string key;    // "II", "9", "capacity_building", "african", "KEN"
  std::string label;  // for people
  int needs = 0;
  int states = 0;
  StatusCounts statuses;
};

struct Totals {
  int needs = 0;
  int states_with_needs = 0;
  int summaries_issued = 0;  // reviews whose executive summary was issued by the date
  StatusCounts statuses;
};

struct Table {
  TableSpec spec;
  Totals totals;  // of the needs in this table (its chapter only, if one is set)
  std::vector<GroupCount> groups;
};

struct Snapshot {
  std::optional<absl::CivilDay> as_of;  // nullopt: everything recorded
  Totals totals;
  std::vector<Table> tables;  // one per spec, same order
};

// The tables of `specs` over `needs` and `reviews` (already limited to the cycle wanted;
// `cycle` 0 means both and only orders the categories).
Snapshot ComputeSnapshot(const std::vector<event::v1::NeedRecord>& needs,
                         const std::vector<event::v1::NeedsReviewRecord>& reviews, int cycle,
                         std::optional<absl::CivilDay> as_of, const std::vector<TableSpec>& specs);

// The status of `need` on `as_of` (nullopt: latest), "identified" if none was set.
std::string StatusOn(const event::v1::NeedRecord& need, std::optional<absl::CivilDay> as_of);

}  // namespace irm::needs

#endif  // IRM_ENGINE_NEEDS_NEEDS_TABLES_H_
