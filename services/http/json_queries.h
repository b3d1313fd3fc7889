// JsonQueries: the JSON endpoints of irmd's HTTP side, answered by the same gRPC service
// objects (ReviewService::ListReviewsAs/GetReviewAs, ReportService::NeedsReportFor) that
// answer `irm`, redacted for the viewer by the same code, and shaped by the same api_json/
// functions that `irm --json` prints, so the HTTP and CLI views never drift.
//
//   GET /api/reviews?cycle=&stage=&region=&year=&state=&overdue=1&as_of=DATE
//       {"position":P,"as_of":"YYYY-MM-DD","reviews":[<irm reviews --json object>,...]}
//       P: the log head the answer includes (a client following /api/events from P+1
//       misses nothing). With as_of each review is as recorded up to the end of DATE (the
//       semantics of `irm status --as-of DATE`), overdue judged on DATE; reviews scheduled
//       later are absent.
//   GET /api/reviews/{STATE}/{CYCLE}[?as_of=DATE]   one review object
//   GET /api/needs?cycle=&by=&chapter=&as_of=&compare=   `irm report needs --format json`
//   GET /api/outcomes?cycle=&kind=&by=&as_of=&compare=   `irm report outcomes --format json`
//       (issue 22), counting only the reviews whose outcomes the viewer may see
//
// Errors are absl::Status with canonical codes (400 InvalidArgument, 404 NotFound, ...).
// Thread-safe; the pointers must outlive it.
#ifndef IRM_SERVICES_HTTP_JSON_QUERIES_H_
#define IRM_SERVICES_HTTP_JSON_QUERIES_H_

#include <string>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "nlohmann/json.hpp"
#include "services/http/http_access.h"
#include "services/http/query_params.h"
#include "services/report/report_service.h"
#include "services/review/review_service.h"

namespace irm::services::http {

class JsonQueries {
 public:
  JsonQueries(log::EventLog* log, ReviewService* reviews, ReportService* reports)
      : log_(log), reviews_(reviews), reports_(reports) {}

  absl::StatusOr<nlohmann::ordered_json> Reviews(const QueryParams& params,
                                                 const Viewer& viewer) const;
  absl::StatusOr<nlohmann::ordered_json> Review(const std::string& state,
                                                const std::string& cycle,
                                                const QueryParams& params,
                                                const Viewer& viewer) const;
  absl::StatusOr<nlohmann::ordered_json> Needs(const QueryParams& params,
                                               const Viewer& viewer) const;
  absl::StatusOr<nlohmann::ordered_json> Outcomes(const QueryParams& params,
                                                  const Viewer& viewer) const;

 private:
  absl::StatusOr<api::v1::ReviewStatus> GetReview(const Viewer& viewer, const std::string& state,
                                                  int cycle, const std::string& as_of) const;

  log::EventLog* const log_;
  ReviewService* const reviews_;
  ReportService* const reports_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_JSON_QUERIES_H_
