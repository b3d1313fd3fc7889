// The JSON object of an outcomes report (irm.api.v1.OutcomesReport, issue 22), shared by
// `irm report outcomes --format json` and irmd's GET /api/outcomes:
//
// {"cycle":2|null,"kind":null|"recommendation","by":"chapter","as_of":null|"2021-12-31",
//  "total":N,"states":N,"reviews":N,"summaries_issued":N,
//  "by_status":{"not_started":N,"partially_implemented":N,"implemented":N,
//               "no_longer_relevant":N},
//  "implementation_rate":0.42|null,
//  "groups":[{"key":"II","label":..,"count":N,"states":N,"by_status":{..},
//             "implementation_rate":..|null},...],
//  "compare":{"as_of":..,"total":N,"states":N,"implementation_rate":..|null,
//             "delta_total":N,"delta_states":N,
//             "groups":[{"key":..,"count":N,"states":N,"delta_count":N,"delta_states":N}]}}
// ("compare" only when compared; its groups are the union of both dates' keys).
//
// Pure functions; thread-safe.
#ifndef IRM_API_JSON_OUTCOMES_JSON_H_
#define IRM_API_JSON_OUTCOMES_JSON_H_

#include <string>
#include <vector>

#include "irm/api/v1/report.pb.h"
#include "nlohmann/json.hpp"

namespace irm::api_json {

nlohmann::ordered_json OutcomesReportJson(const api::v1::OutcomesReport& report);

// The group of `snapshot` with `key`, or nullptr.
const api::v1::OutcomesGroup* FindGroup(const api::v1::OutcomesSnapshot& snapshot,
                                        const std::string& key);
// Keys of `now`, then those only `then` (may be null) has.
std::vector<std::string> UnionKeys(const api::v1::OutcomesSnapshot& now,
                                   const api::v1::OutcomesSnapshot* then);

// The totals of `snapshot` as a group (key and label empty), for total rows.
api::v1::OutcomesGroup TotalGroup(const api::v1::OutcomesSnapshot& snapshot);

}  // namespace irm::api_json

#endif  // IRM_API_JSON_OUTCOMES_JSON_H_
