// The text forms of an outcomes report (irm.api.v1.OutcomesReport, issue 22) for
// `irm report outcomes`: the JSON object (api_json/outcomes_json.h), CSV and an aligned
// table, each with the earlier figures and the change when the report was compared.
// Pure functions; thread-safe.
#ifndef IRM_CLI_REPORTS_OUTCOMES_RENDER_H_
#define IRM_CLI_REPORTS_OUTCOMES_RENDER_H_

#include <ostream>

#include "api_json/outcomes_json.h"
#include "irm/api/v1/report.pb.h"

namespace irm::cli {

using api_json::OutcomesReportJson;

// Header "key,label,count,states,<status>...,implementation_rate" (+ ",earlier_count,
// earlier_states,delta_count,delta_states" when compared), one row per group, no total row.
void PrintOutcomesCsv(const api::v1::OutcomesReport& report, std::ostream& out);

// A title line, an aligned table with share, States, recommendations per status and rate,
// a total line and a summary line.
void PrintOutcomesTable(const api::v1::OutcomesReport& report, std::ostream& out);

}  // namespace irm::cli

#endif  // IRM_CLI_REPORTS_OUTCOMES_RENDER_H_
