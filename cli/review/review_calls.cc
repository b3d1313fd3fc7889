#include "cli/review/review_calls.h"

#include "engine/common/status_macros.h"

namespace irm::cli {

using api::v1::ReviewService;

absl::StatusOr<std::unique_ptr<ReviewClient>> ReviewClient::Create(Connection& connection) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, connection.Channel());
  return std::unique_ptr<ReviewClient>(
      new ReviewClient(connection, ReviewService::NewStub(channel)));
}

template <typename Response, typename Call>
absl::StatusOr<Response> ReviewClient::Unary(Call call) {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  Response response;
  IRM_RETURN_IF_ERROR(connection_.FromGrpc(call(&context, &response)));
  return response;
}

absl::StatusOr<api::v1::CommandResult> ReviewClient::Execute(
    const api::v1::ReviewCommand& command) {
  return Unary<api::v1::CommandResult>([&](grpc::ClientContext* c, api::v1::CommandResult* r) {
    return stub_->Execute(c, command, r);
  });
}

absl::StatusOr<api::v1::DrawResult> ReviewClient::DrawYears(
    const api::v1::DrawYearsRequest& request) {
  return Unary<api::v1::DrawResult>([&](grpc::ClientContext* c, api::v1::DrawResult* r) {
    return stub_->DrawYears(c, request, r);
  });
}

absl::StatusOr<api::v1::DrawResult> ReviewClient::DrawReviewers(
    const api::v1::DrawReviewersRequest& request) {
  return Unary<api::v1::DrawResult>([&](grpc::ClientContext* c, api::v1::DrawResult* r) {
    return stub_->DrawReviewers(c, request, r);
  });
}

absl::StatusOr<api::v1::ReviewStatus> ReviewClient::GetReview(
    const api::v1::GetReviewRequest& request) {
  return Unary<api::v1::ReviewStatus>([&](grpc::ClientContext* c, api::v1::ReviewStatus* r) {
    return stub_->GetReview(c, request, r);
  });
}

absl::StatusOr<api::v1::ListReviewsResponse> ReviewClient::ListReviews(
    const api::v1::ListReviewsRequest& request) {
  return Unary<api::v1::ListReviewsResponse>(
      [&](grpc::ClientContext* c, api::v1::ListReviewsResponse* r) {
        return stub_->ListReviews(c, request, r);
      });
}

absl::StatusOr<api::v1::CountryProfile> ReviewClient::GetCountryProfile(
    const api::v1::GetCountryProfileRequest& request) {
  return Unary<api::v1::CountryProfile>([&](grpc::ClientContext* c, api::v1::CountryProfile* r) {
    return stub_->GetCountryProfile(c, request, r);
  });
}

absl::StatusOr<api::v1::Pipeline> ReviewClient::GetPipeline(
    const api::v1::GetPipelineRequest& request) {
  return Unary<api::v1::Pipeline>([&](grpc::ClientContext* c, api::v1::Pipeline* r) {
    return stub_->GetPipeline(c, request, r);
  });
}

absl::StatusOr<api::v1::ReviewHistory> ReviewClient::GetReviewHistory(
    const api::v1::GetReviewHistoryRequest& request) {
  return Unary<api::v1::ReviewHistory>([&](grpc::ClientContext* c, api::v1::ReviewHistory* r) {
    return stub_->GetReviewHistory(c, request, r);
  });
}

absl::StatusOr<api::v1::AddIrgSessionResult> ReviewClient::AddIrgSession(
    const api::v1::AddIrgSessionRequest& request) {
  return Unary<api::v1::AddIrgSessionResult>(
      [&](grpc::ClientContext* c, api::v1::AddIrgSessionResult* r) {
        return stub_->AddIrgSession(c, request, r);
      });
}

absl::StatusOr<api::v1::IrgSessions> ReviewClient::ListIrgSessions(
    const api::v1::ListIrgSessionsRequest& request) {
  return Unary<api::v1::IrgSessions>([&](grpc::ClientContext* c, api::v1::IrgSessions* r) {
    return stub_->ListIrgSessions(c, request, r);
  });
}

}  // namespace irm::cli
