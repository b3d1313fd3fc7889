// ReviewService: the questions (GetReview, ListReviews, GetCountryProfile, GetPipeline),
// answered from the reviews projection; `as_of`/`known_at` a past point folds the one
// stream asked from the log (services/review/history_point.h).
#include <map>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/access/visibility.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/review/dates.h"
#include "engine/review/deadlines.h"
#include "engine/review/outcomes.h"
#include "engine/review/review_names.h"
#include "engine/review/reviews_projection.h"
#include "services/server/grpc_status.h"
#include "services/review/review_service.h"

namespace irm::services {
namespace {

namespace ev = ::irm::event::v1;

// The outcome counts of `status`'s review as it stands in `status` (after any redaction).
void FillOutcomeCounts(api::v1::ReviewStatus* status) {
  const review::ReviewOutcomes tally = review::TallyOutcomes(status->review());
  api::v1::OutcomeCounts* counts = status->mutable_outcomes();
  counts->set_observations(tally.observations);
  counts->set_recommendations(tally.recommendations);
  counts->set_good_practices(tally.good_practices);
  counts->set_challenges(tally.challenges);
  counts->set_not_started(tally.statuses.not_started);
  counts->set_partially_implemented(tally.statuses.partially_implemented);
  counts->set_implemented(tally.statuses.implemented);
  counts->set_no_longer_relevant(tally.statuses.no_longer_relevant);
  std::optional<double> rate = tally.statuses.ImplementationRate();
  counts->set_has_rate(rate.has_value());
  counts->set_implementation_rate(rate.value_or(0));
}

}  // namespace

api::v1::ReviewStatus ToStatus(const ev::ReviewState& review, absl::CivilDay as_of) {
  api::v1::ReviewStatus status;
  *status.mutable_review() = review;
  review::NextStep next = review::NextStepOf(review);
  status.set_next_step(next.event_type);
  if (next.deadline) status.set_next_deadline(review::FormatDate(*next.deadline));
  status.set_overdue(review::IsOverdue(review, as_of));
  status.set_as_of(review::FormatDate(as_of));
  int open = 0;
  for (const ev::NeedState& need : review.needs()) open += need.status() != "addressed";
  status.set_open_needs(open);
  status.set_identified_needs(review.needs_size());
  FillOutcomeCounts(&status);
  return status;
}

api::v1::ReviewStatus ToStatusFor(const access::Principal& caller, const ev::ReviewState& review,
                                  absl::CivilDay as_of) {
  api::v1::ReviewStatus status = ToStatus(review, as_of);
  access::Audience audience = access::AudienceFor(caller, access::PartiesOf(review));
  if (audience != access::Audience::kFull) {
    *status.mutable_review() = access::ViewOfReview(review, audience);
    FillOutcomeCounts(&status);
  }
  return status;
}

api::v1::ReviewStatus ToPastStatusFor(const access::ReviewAccess& access,
                                      const ev::ReviewState& then, absl::CivilDay as_of) {
  api::v1::ReviewStatus status = ToStatus(then, as_of);
  if (access.audience != access::Audience::kFull) {
    *status.mutable_review() = access::ViewOfPastReview(then, access);
    FillOutcomeCounts(&status);
  }
  return status;
}

grpc::ServerUnaryReactor* ReviewService::GetReview(grpc::CallbackServerContext* context,
                                                   const api::v1::GetReviewRequest* request,
                                                   api::v1::ReviewStatus* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  return FinishUnary(context, GetReviewAs(*caller, request, response));
}

grpc::Status ReviewService::GetReviewAs(const access::Principal& principal,
                                        const api::v1::GetReviewRequest* request,
                                        api::v1::ReviewStatus* response) {
  const access::Principal* caller = &principal;
  if (absl::Status s = common::WithField(domain::FindStateParty(request->state()).status(), "state");
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = common::WithField(domain::CheckCycle(request->cycle()), "cycle"); !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (request->as_of().empty() && request->known_at().empty()) {
    if (absl::Status s = CatchUp(); !s.ok()) return ToGrpcStatus(s);
    absl::StatusOr<std::optional<ev::ReviewState>> review =
        review::ReadReview(projections_->store(), request->state(), request->cycle());
    if (!review.ok()) return ToGrpcStatus(review.status());
    if (!review->has_value()) {
      return ToGrpcStatus(absl::NotFoundError(absl::StrCat(
          "no review ", review::ReviewStream(request->state(), request->cycle()),
          "; schedule it with irm review schedule")));
    }
    *response = ToStatusFor(*caller, **review, workflow_->Today());
    return grpc::Status::OK;
  }
  // A past point: folded from the log (services/review/history_point.h).
  absl::CivilDay judge_on;
  absl::StatusOr<review::ReviewHistory> history =
      ReadHistory(request->state(), request->cycle(), request->as_of(), request->known_at(),
                  /*with_provenance=*/false, &judge_on);
  if (!history.ok()) return ToGrpcStatus(history.status());
  // Judged on what the caller may see now, not on the parties at that point.
  absl::StatusOr<access::ReviewAccess> access =
      AccessNow(*caller, request->state(), request->cycle());
  if (!access.ok()) return ToGrpcStatus(access.status());
  *response = ToPastStatusFor(*access, history->state, judge_on);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ReviewService::ListReviews(grpc::CallbackServerContext* context,
                                                     const api::v1::ListReviewsRequest* request,
                                                     api::v1::ListReviewsResponse* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  return FinishUnary(context, ListReviewsAs(*caller, request, response));
}

grpc::Status ReviewService::ListReviewsAs(const access::Principal& principal,
                                          const api::v1::ListReviewsRequest* request,
                                          api::v1::ListReviewsResponse* response) {
  const access::Principal* caller = &principal;
  if (request->cycle() != 0) {
    if (absl::Status s = common::WithField(domain::CheckCycle(request->cycle()), "cycle");
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  if (!request->stage().empty()) {
    if (absl::Status s = common::WithField(review::CheckStage(request->stage()), "stage");
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  if (!request->region().empty()) {
    if (absl::Status s =
            common::WithField(domain::ParseRegion(request->region()).status(), "region");
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  if (!request->state().empty()) {
    if (absl::Status s =
            common::WithField(domain::FindStateParty(request->state()).status(), "state");
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  absl::StatusOr<absl::CivilDay> as_of = AsOfDate(request->as_of());
  if (!as_of.ok()) return ToGrpcStatus(common::WithField(as_of.status(), "as_of"));
  if (absl::Status s = CatchUp(); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::vector<PastReview>> reviews =
      ReviewsAsOf(request->cycle(), request->as_of());
  if (!reviews.ok()) return ToGrpcStatus(reviews.status());
  for (const PastReview& past : *reviews) {
    const ev::ReviewState& r = past.then;
    if (!request->stage().empty() && r.stage() != request->stage()) continue;
    if (!request->region().empty() && r.region() != request->region()) continue;
    if (request->year() != 0 && r.year() != request->year()) continue;
    if (!request->state().empty() && r.state() != request->state()) continue;
    // Judged on the review as it stands now, whatever date the list is as of.
    api::v1::ReviewStatus status =
        ToPastStatusFor(access::AccessNow(*caller, past.now), r, *as_of);
    if (request->overdue_only() && !status.overdue()) continue;
    *response->add_reviews() = std::move(status);
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ReviewService::GetCountryProfile(
    grpc::CallbackServerContext* context, const api::v1::GetCountryProfileRequest* request,
    api::v1::CountryProfile* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  return FinishUnary(context, CountryProfileAs(*caller, request, response));
}

grpc::Status ReviewService::CountryProfileAs(const access::Principal& caller,
                                             const api::v1::GetCountryProfileRequest* request,
                                             api::v1::CountryProfile* response) {
  absl::StatusOr<const domain::StateParty*> party = domain::FindStateParty(request->state());
  if (!party.ok()) return ToGrpcStatus(common::WithField(party.status(), "state"));
  if (absl::Status s = CatchUp(); !s.ok()) return ToGrpcStatus(s);
  response->set_state(request->state());
  response->set_name(std::string((*party)->name));
  response->set_region(std::string(domain::RegionName((*party)->region)));
  for (int cycle = 1; cycle <= 2; ++cycle) {
    absl::StatusOr<std::optional<ev::ReviewState>> review =
        review::ReadReview(projections_->store(), request->state(), cycle);
    if (!review.ok()) return ToGrpcStatus(review.status());
    if (!review->has_value()) continue;
    *response->add_reviews() = ToStatusFor(caller, **review, workflow_->Today());
    const access::Audience audience =
        access::AudienceFor(caller, access::PartiesOf(**review));
    for (const ev::NeedState& need : (*review)->needs()) {
      if (need.status() == "addressed") continue;
      if (auto view = access::ViewOfNeed(need, audience, access::PublicationOf(**review))) {
        *response->add_open_needs() = *view;
      }
    }
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ReviewService::GetPipeline(grpc::CallbackServerContext* context,
                                                     const api::v1::GetPipelineRequest* request,
                                                     api::v1::Pipeline* response) {
  if (absl::Status s = auth_->Authenticate(*context).status(); !s.ok()) {
    return FinishUnary(context, ToGrpcStatus(s));
  }
  return FinishUnary(context, PipelineNow(request, response));
}

grpc::Status ReviewService::PipelineNow(const api::v1::GetPipelineRequest* request,
                                        api::v1::Pipeline* response) {
  absl::StatusOr<absl::CivilDay> as_of = AsOfDate(request->as_of());
  if (!as_of.ok()) return ToGrpcStatus(common::WithField(as_of.status(), "as_of"));
  if (absl::Status s = CatchUp(); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::vector<PastReview>> reviews = ReviewsAsOf(0, request->as_of());
  if (!reviews.ok()) return ToGrpcStatus(reviews.status());
  // (cycle, region, year, stage index) -> (reviews, overdue)
  std::map<std::tuple<int, std::string, int, int>, std::pair<int, int>> rows;
  for (const PastReview& past : *reviews) {
    const ev::ReviewState& r = past.then;
    auto& row = rows[{r.cycle(), r.region(), r.year(), review::StageIndex(r.stage())}];
    ++row.first;
    row.second += review::IsOverdue(r, *as_of);
  }
  for (const auto& [key, counts] : rows) {
    api::v1::PipelineRow* row = response->add_rows();
    row->set_cycle(std::get<0>(key));
    row->set_region(std::get<1>(key));
    row->set_year(std::get<2>(key));
    row->set_stage(std::string(review::kStages[std::get<3>(key)]));
    row->set_reviews(counts.first);
    row->set_overdue(counts.second);
  }
  return grpc::Status::OK;
}

}  // namespace irm::services
