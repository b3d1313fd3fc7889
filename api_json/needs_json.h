// The JSON object of a needs report (irm.api.v1.NeedsReport), shared by
// `irm report needs --format json` and irmd's GET /api/needs. It renders one table of the
// report (`index` into current.tables) with, when the report was compared, the earlier
// figures and the change:
//
// {"cycle":2|null,"by":"chapter","chapter":null|"II","as_of":null|"2019-09-30",
//   "total_needs":N,"states_with_needs":N,"summaries_issued":N,"statuses":{status:N,...},
//   "groups":[{"key":"II","label":..,"needs":N,"states":N,"statuses":{...}},...],
//   "compare":{"as_of":..,"total_needs":N,"states_with_needs":N,"summaries_issued":N,
//              "delta_needs":N,"delta_states":N,
//              "groups":[{"key":..,"needs":N,"states":N,"delta_needs":N,"delta_states":N}]}}
// ("compare" only when compared). total_needs and states_with_needs are the table's: with
// a chapter, that chapter's needs only.
//
// Pure functions; thread-safe.
#ifndef IRM_API_JSON_NEEDS_JSON_H_
#define IRM_API_JSON_NEEDS_JSON_H_

#include <string>
#include <vector>

#include "irm/api/v1/report.pb.h"
#include "nlohmann/json.hpp"

namespace irm::api_json {

nlohmann::ordered_json NeedsReportJson(const api::v1::NeedsReport& report, int index);

// The group of `table` with `key`, or nullptr.
const api::v1::NeedsGroup* FindGroup(const api::v1::NeedsTable& table, const std::string& key);

// Keys of the current table, then keys only the earlier one (may be null) has.
std::vector<std::string> UnionKeys(const api::v1::NeedsTable& now,
                                   const api::v1::NeedsTable* then);

// The earlier table `index` of a compared report, or nullptr.
const api::v1::NeedsTable* Earlier(const api::v1::NeedsReport& report, int index);

}  // namespace irm::api_json

#endif  // IRM_API_JSON_NEEDS_JSON_H_
