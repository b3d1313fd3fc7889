// How `irm` shows review workflow results: the one-line result of a command, the JSON
// object of a review (shared by `irm status --json` and `irm reviews --json`), the human
// card of `irm status`, and the table row of `irm reviews`.
//
// The review object has at least: state, name, cycle, region, year, stage, reviewers (list
// of codes in slot order, "" for an open slot), dialogue ("country_visit", "joint_meeting",
// "none", or null before the dialogue), overdue (bool), needs (count of needs identified),
// open_needs, next_step, next_deadline, as_of, dates and revision.
//
// Pure functions; thread-safe.
#ifndef IRM_CLI_REVIEW_REVIEW_TEXT_H_
#define IRM_CLI_REVIEW_REVIEW_TEXT_H_

#include <ostream>
#include <string>
#include <vector>

#include "api_json/review_json.h"
#include "irm/api/v1/review.pb.h"
#include "nlohmann/json.hpp"

namespace irm::cli {

// The English short name of a State party, or "" for an unknown code (api_json/).
using api_json::StateName;

// The position of `stage` in the workflow (scheduled = 0 ... completed = 10); stages this
// client does not know sort after them.
int StageRank(const std::string& stage);

// An implementation rate (0..1) as people read it: "62.5 %".
std::string RatePercent(double rate);

// "review-KEN-2: ChecklistSubmitted recorded at position 41 (revision 5); stage
// checklist_submitted, next DeskReviewCompleted by 2016-09-01" (+ " OVERDUE").
std::string CommandResultLine(const api::v1::CommandResult& result);

// {"stream","revision","position","event_type","stage"} plus need_id when set, and
// next_step, next_deadline, overdue.
nlohmann::ordered_json CommandResultJson(const api::v1::CommandResult& result);

// The review object described above; shared with irmd's HTTP side (api_json/).
using api_json::ReviewStatusJson;

// A multi-line card: name, region, cycle, year, stage, reviewers, dialogue, dates, next
// step and deadline with an OVERDUE marker, needs.
void PrintReviewCard(const api::v1::ReviewStatus& status, std::ostream& out);

// The columns of `irm reviews` and one review's cells.
std::vector<std::string> ReviewTableHeader();
std::vector<std::string> ReviewTableRow(const api::v1::ReviewStatus& status);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_REVIEW_TEXT_H_
