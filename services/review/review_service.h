// ReviewService: irm.api.v1.ReviewService on gRPC's synchronous API (its calls decide
// against the log and wait for fsync; gRPC's sync thread pool carries them).
//
// Commands go through ReviewWorkflow; draws read the cycle's assignments from the reviews
// projection after it has caught up with the log, one draw at a time (a draw's result is
// recorded before the next draw reads the assignments, so two concurrent draws cannot both
// give one State a fourth review); questions read the reviews projection
// after it has applied everything committed when the question arrived (read-your-writes).
// Every call is authenticated; commands are authorised by engine/access against the review's
// current parties and recorded with the caller as the actor; answers are redacted to what the
// caller may see (engine/access/visibility). Thread-safe; every pointer must outlive the service.
#ifndef IRM_SERVICES_REVIEW_REVIEW_SERVICE_H_
#define IRM_SERVICES_REVIEW_REVIEW_SERVICE_H_

#include <vector>

#include "engine/projection/projection_runner.h"
#include "engine/review/lot_draw.h"
#include "engine/review/review_history.h"
#include "engine/review/review_workflow.h"
#include "engine/access/principal.h"
#include "irm/api/v1/review.grpc.pb.h"
#include "services/server/authenticator.h"

namespace irm::services {

class ReviewService final : public api::v1::ReviewService::Service {
 public:
  ReviewService(log::EventLog* log, review::ReviewWorkflow* workflow,
                projection::ProjectionRunner* projections, const Authenticator* auth);

  grpc::Status Execute(grpc::ServerContext* context, const api::v1::ReviewCommand* request,
                       api::v1::CommandResult* response) override;
  grpc::Status DrawYears(grpc::ServerContext* context, const api::v1::DrawYearsRequest* request,
                         api::v1::DrawResult* response) override;
  grpc::Status DrawReviewers(grpc::ServerContext* context,
                             const api::v1::DrawReviewersRequest* request,
                             api::v1::DrawResult* response) override;
  grpc::Status GetReview(grpc::ServerContext* context, const api::v1::GetReviewRequest* request,
                         api::v1::ReviewStatus* response) override;
  grpc::Status ListReviews(grpc::ServerContext* context,
                           const api::v1::ListReviewsRequest* request,
                           api::v1::ListReviewsResponse* response) override;
  grpc::Status GetCountryProfile(grpc::ServerContext* context,
                                 const api::v1::GetCountryProfileRequest* request,
                                 api::v1::CountryProfile* response) override;
  grpc::Status GetPipeline(grpc::ServerContext* context,
                           const api::v1::GetPipelineRequest* request,
                           api::v1::Pipeline* response) override;
  grpc::Status GetReviewHistory(grpc::ServerContext* context,
                                const api::v1::GetReviewHistoryRequest* request,
                                api::v1::ReviewHistory* response) override;

  // GetReview and ListReviews for a caller authenticated elsewhere (irmd's HTTP side): the
  // same answers, redacted for `caller` by the same code.
  grpc::Status GetReviewAs(const access::Principal& caller,
                           const api::v1::GetReviewRequest* request,
                           api::v1::ReviewStatus* response);
  grpc::Status ListReviewsAs(const access::Principal& caller,
                             const api::v1::ListReviewsRequest* request,
                             api::v1::ListReviewsResponse* response);

 private:
  // Waits until the projections have applied the log's current head.
  absl::Status CatchUp() const;
  // The cycle's assignments, from the reviews projection.
  absl::StatusOr<std::vector<review::Assignment>> Assignments(int cycle) const;
  // May `caller` give `command`? May pin the command's expected revision to the one its
  // reviewers were checked at.
  absl::Status Authorize(const access::Principal& caller, api::v1::ReviewCommand* command) const;
  // Records `events` as `caller` and fills `result`.
  absl::Status RecordInto(const access::Principal& caller, const api::v1::ReviewCommand& command,
                          std::vector<std::unique_ptr<google::protobuf::Message>> events,
                          api::v1::CommandResult* result);
  absl::StatusOr<std::vector<std::unique_ptr<google::protobuf::Message>>> DrawEvents(
      const api::v1::ReviewCommand& command);
  // The review as of `as_of`/`known_at` (services/review/history_point.h), read from the log;
  // `judge_on` gets the day overdue is judged on.
  absl::StatusOr<review::ReviewHistory> ReadHistory(const std::string& state, int cycle,
                                                    const std::string& as_of,
                                                    const std::string& known_at,
                                                    bool with_provenance,
                                                    absl::CivilDay* judge_on) const;
  // "" -> today; otherwise a YYYY-MM-DD date.
  absl::StatusOr<absl::CivilDay> AsOfDate(const std::string& text) const;
  // The reviews of `cycle` (0: both) from the reviews projection; with a date `as_of`, each
  // as it stood at the end of that business date, folded from its stream (reviews with no
  // step by then are left out), so lists and the pipeline agree with `irm status --as-of`.
  absl::StatusOr<std::vector<event::v1::ReviewState>> ReviewsAsOf(int cycle,
                                                                  const std::string& as_of) const;

  log::EventLog* const log_;
  review::ReviewWorkflow* const workflow_;
  projection::ProjectionRunner* const projections_;
  const Authenticator* const auth_;
  // Held by every command that decides against the cycle's other assignments (lot draws,
  // assign-reviewers, redraw) from reading them until its events are recorded.
  absl::Mutex draws_mu_;
};

// The API view of a review as of `as_of`.
api::v1::ReviewStatus ToStatus(const event::v1::ReviewState& review, absl::CivilDay as_of);
// ToStatus as `caller` may see it (engine/access/visibility; counts stay).
api::v1::ReviewStatus ToStatusFor(const access::Principal& caller,
                                  const event::v1::ReviewState& review, absl::CivilDay as_of);

}  // namespace irm::services

#endif  // IRM_SERVICES_REVIEW_REVIEW_SERVICE_H_
