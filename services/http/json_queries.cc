#include "services/http/json_queries.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api_json/needs_json.h"
#include "api_json/outcomes_json.h"
#include "api_json/review_json.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/review/dates.h"
#include "engine/review/review_names.h"

namespace irm::services::http {
namespace {

using Json = nlohmann::ordered_json;

// The services answer in grpc::Status; the HTTP side speaks absl::Status (same codes).
absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::Status CheckDate(const std::string& text, absl::string_view name) {
  if (text.empty()) return absl::OkStatus();
  return review::ParseDate(text, name).status();
}

}  // namespace

absl::StatusOr<api::v1::ReviewStatus> JsonQueries::GetReview(const Viewer& viewer,
                                                             const std::string& state, int cycle,
                                                             const std::string& as_of) const {
  api::v1::GetReviewRequest request;
  request.set_state(state);
  request.set_cycle(cycle);
  request.set_as_of(as_of);
  api::v1::ReviewStatus status;
  IRM_RETURN_IF_ERROR(FromGrpc(reviews_->GetReviewAs(viewer.principal, &request, &status)));
  return status;
}

absl::StatusOr<Json> JsonQueries::Reviews(const QueryParams& params, const Viewer& viewer) const {
  api::v1::ListReviewsRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, params.Cycle());
  request.set_cycle(cycle);
  request.set_stage(params.Get("stage"));
  request.set_region(params.Get("region"));
  request.set_state(absl::AsciiStrToUpper(params.Get("state")));
  IRM_ASSIGN_OR_RETURN(uint64_t year, params.Number("year", 0));
  request.set_year(static_cast<int>(year));
  IRM_ASSIGN_OR_RETURN(bool overdue_only, params.Flag("overdue"));
  const std::string as_of = params.Get("as_of");
  IRM_RETURN_IF_ERROR(CheckDate(as_of, "as_of"));
  // With as_of the service folds each review as it stood at the end of that business date
  // and judges stage and overdue on that state, as `irm reviews --as-of` does.
  request.set_overdue_only(overdue_only);
  request.set_as_of(as_of);
  const uint64_t position = log_->HeadPosition();
  api::v1::ListReviewsResponse response;
  IRM_RETURN_IF_ERROR(FromGrpc(reviews_->ListReviewsAs(viewer.principal, &request, &response)));
  Json json = Json::object();
  json["position"] = position;
  json["as_of"] = as_of.empty() ? Json(nullptr) : Json(as_of);
  json["reviews"] = Json::array();
  for (const api::v1::ReviewStatus& status : response.reviews()) {
    json["reviews"].push_back(api_json::ReviewStatusJson(status));
  }
  return json;
}

absl::StatusOr<Json> JsonQueries::Review(const std::string& state, const std::string& cycle,
                                         const QueryParams& params, const Viewer& viewer) const {
  int cycle_number = 0;
  if (!absl::SimpleAtoi(cycle, &cycle_number) || (cycle_number != 1 && cycle_number != 2)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cycle ", common::Quote(cycle), " in /api/reviews/", common::Escape(state), "/",
        common::Escape(cycle), " is not a review cycle: use 1 or 2, e.g. /api/reviews/KEN/2"));
  }
  const std::string as_of = params.Get("as_of");
  IRM_RETURN_IF_ERROR(CheckDate(as_of, "as_of"));
  IRM_ASSIGN_OR_RETURN(api::v1::ReviewStatus status,
                       GetReview(viewer, absl::AsciiStrToUpper(state), cycle_number, as_of));
  return api_json::ReviewStatusJson(status);
}

absl::StatusOr<Json> JsonQueries::Needs(const QueryParams& params, const Viewer& viewer) const {
  api::v1::NeedsReportRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, params.Cycle());
  request.set_cycle(cycle);
  api::v1::NeedsDimension* dimension = request.add_dimensions();
  dimension->set_by(params.Get("by").empty() ? "chapter" : params.Get("by"));
  dimension->set_chapter(params.Get("chapter"));
  request.set_as_of(params.Get("as_of"));
  request.set_compare(params.Get("compare"));
  IRM_RETURN_IF_ERROR(CheckDate(request.as_of(), "as_of"));
  IRM_RETURN_IF_ERROR(CheckDate(request.compare(), "compare"));
  // The report holds only aggregated counts (no need texts), which every viewer may see.
  api::v1::NeedsReport report;
  IRM_RETURN_IF_ERROR(FromGrpc(reports_->NeedsReportFor(&request, &report)));
  return api_json::NeedsReportJson(report, 0);
}

absl::StatusOr<Json> JsonQueries::Outcomes(const QueryParams& params, const Viewer& viewer) const {
  api::v1::OutcomesReportRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, params.Cycle());
  request.set_cycle(cycle);
  request.set_kind(params.Get("kind"));
  request.set_by(params.Get("by"));
  request.set_as_of(params.Get("as_of"));
  request.set_compare(params.Get("compare"));
  IRM_RETURN_IF_ERROR(CheckDate(request.as_of(), "as_of"));
  IRM_RETURN_IF_ERROR(CheckDate(request.compare(), "compare"));
  api::v1::OutcomesReport report;
  IRM_RETURN_IF_ERROR(FromGrpc(reports_->OutcomesReportFor(viewer.principal, &request, &report)));
  return api_json::OutcomesReportJson(report);
}

}  // namespace irm::services::http
