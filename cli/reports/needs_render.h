// The text forms of a needs report (irm.api.v1.NeedsReport) for `irm report needs`: the
// JSON object of interface.md, CSV, and an aligned table. Each renders one table of the
// report (`index` into current.tables) with, when the report was compared, the earlier
// figures and the change.
//
// JSON: {"cycle":2|null,"by":"chapter","chapter":null|"II","as_of":null|"2019-09-30",
//   "total_needs":N,"states_with_needs":N,"summaries_issued":N,"statuses":{status:N,...},
//   "groups":[{"key":"II","label":..,"needs":N,"states":N,"statuses":{...}},...],
//   "compare":{"as_of":..,"total_needs":N,"states_with_needs":N,"summaries_issued":N,
//              "delta_needs":N,"delta_states":N,
//              "groups":[{"key":..,"needs":N,"states":N,"delta_needs":N,"delta_states":N}]}}
// ("compare" only when compared). total_needs and states_with_needs are the table's: with
// a chapter, that chapter's needs only.
//
// Pure functions; thread-safe.
#ifndef IRM_CLI_REPORTS_NEEDS_RENDER_H_
#define IRM_CLI_REPORTS_NEEDS_RENDER_H_

#include <ostream>
#include <string>

#include "api_json/needs_json.h"
#include "irm/api/v1/report.pb.h"
#include "nlohmann/json.hpp"

namespace irm::cli {

// The JSON object; shared with irmd's HTTP side (api_json/needs_json.h).
using api_json::NeedsReportJson;

// Header "key,label,needs,states,<status>..." (+ ",earlier_needs,earlier_states,
// delta_needs,delta_states" when compared), one row per group, RFC 4180 quoting.
void PrintNeedsCsv(const api::v1::NeedsReport& report, int index, std::ostream& out);

// A title line, an aligned table with a share column and a total line, and a summary.
void PrintNeedsTable(const api::v1::NeedsReport& report, int index, std::ostream& out);

// The group of a table with a key, or nullptr; the tables' keys; the earlier table.
using api_json::Earlier;
using api_json::FindGroup;
using api_json::UnionKeys;

// "62.1%": needs as a share of total, one decimal; "-" for an empty total.
std::string Share(int needs, int total);
// A CSV field, quoted (RFC 4180) when it holds a comma, quote or newline.
std::string Csv(const std::string& text);
// "+3", "0", "-2".
std::string Signed(int n);

}  // namespace irm::cli

#endif  // IRM_CLI_REPORTS_NEEDS_RENDER_H_
