// ReviewClient: the `irm` side of irm.api.v1.ReviewService. Each method prepares the call
// context (token, deadline) through the Connection, makes one unary call and returns the
// reply or the failure as absl::Status in the one-line form (Connection::FromGrpc).
//
// The stub rides on the Connection's one channel, so a command that makes thousands of
// calls (`irm sample load`) reuses a single HTTP/2 connection. Not thread-safe; the
// Connection must outlive the client.
#ifndef IRM_CLI_REVIEW_REVIEW_CALLS_H_
#define IRM_CLI_REVIEW_REVIEW_CALLS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "cli/core/connection.h"
#include "irm/api/v1/review.grpc.pb.h"

namespace irm::cli {

class ReviewClient {
 public:
  // A client on connection.Channel(); fails only if the channel cannot be made.
  static absl::StatusOr<std::unique_ptr<ReviewClient>> Create(Connection& connection);

  absl::StatusOr<api::v1::CommandResult> Execute(const api::v1::ReviewCommand& command);
  absl::StatusOr<api::v1::DrawResult> DrawYears(const api::v1::DrawYearsRequest& request);
  absl::StatusOr<api::v1::DrawResult> DrawReviewers(const api::v1::DrawReviewersRequest& request);
  absl::StatusOr<api::v1::ReviewStatus> GetReview(const api::v1::GetReviewRequest& request);
  absl::StatusOr<api::v1::ListReviewsResponse> ListReviews(
      const api::v1::ListReviewsRequest& request);
  absl::StatusOr<api::v1::CountryProfile> GetCountryProfile(
      const api::v1::GetCountryProfileRequest& request);
  absl::StatusOr<api::v1::Pipeline> GetPipeline(const api::v1::GetPipelineRequest& request);
  absl::StatusOr<api::v1::ReviewHistory> GetReviewHistory(
      const api::v1::GetReviewHistoryRequest& request);
  absl::StatusOr<api::v1::AddIrgSessionResult> AddIrgSession(
      const api::v1::AddIrgSessionRequest& request);
  absl::StatusOr<api::v1::IrgSessions> ListIrgSessions(
      const api::v1::ListIrgSessionsRequest& request);

 private:
  ReviewClient(Connection& connection, std::unique_ptr<api::v1::ReviewService::Stub> stub)
      : connection_(connection), stub_(std::move(stub)) {}

  // Runs `call(context, response)` with a prepared context.
  template <typename Response, typename Call>
  absl::StatusOr<Response> Unary(Call call);

  Connection& connection_;
  std::unique_ptr<api::v1::ReviewService::Stub> stub_;
};

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_REVIEW_CALLS_H_
