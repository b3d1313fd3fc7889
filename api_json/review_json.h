// The JSON object of one review (irm.api.v1.ReviewStatus), shared by `irm status --json`,
// `irm reviews --json` and irmd's GET /api/reviews, so every surface prints the same shape.
//
// The object has at least: state, name, cycle, region, year, stage, reviewers (list of codes
// in slot order, "" for an open slot), dialogue ("country_visit", "joint_meeting", "none",
// or null before the dialogue), overdue (bool), needs (count of needs identified),
// open_needs, next_step, next_deadline, as_of, dates and revision; outcome_counts (per kind),
// recommendation_statuses, implementation_rate (null without recommendations that count) and
// outcomes (issue 22: each with its id, article, kind, text, needs and, for a recommendation,
// status and history), as far as the caller may see them.
//
// Pure functions; thread-safe.
#ifndef IRM_API_JSON_REVIEW_JSON_H_
#define IRM_API_JSON_REVIEW_JSON_H_

#include <string>

#include "irm/api/v1/review.pb.h"
#include "nlohmann/json.hpp"

namespace irm::api_json {

// The English short name of a State party, or "" for an unknown code.
std::string StateName(const std::string& code);

// The review object described above.
nlohmann::ordered_json ReviewStatusJson(const api::v1::ReviewStatus& status);

}  // namespace irm::api_json

#endif  // IRM_API_JSON_REVIEW_JSON_H_
