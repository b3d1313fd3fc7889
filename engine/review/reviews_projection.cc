#include "engine/review/reviews_projection.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/common/status_macros.h"
#include "engine/domain/review_stream.h"
#include "engine/review/review_fold.h"
#include "engine/review/voids.h"

namespace irm::review {
namespace {

std::string Key(absl::string_view state, int cycle) {
  return absl::StrCat("review/", cycle, "/", state);
}

}  // namespace

absl::Status ReviewsProjection::Apply(const log::EventRecord& event,
                                      projection::StateView& state) {
  if (!domain::IsReviewStream(event.stream()) || !IsReviewEventType(event.type())) {
    return absl::OkStatus();
  }
  std::vector<absl::string_view> parts = absl::StrSplit(event.stream(), '-');
  int cycle = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[2], &cycle)) return absl::OkStatus();
  const std::string key = Key(parts[1], cycle);
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stored, state.Get(key));
  event::v1::ReviewState review;
  if (stored.has_value() && !review.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("projection state ", key, " does not decode"));
  }
  std::optional<VoidNote> voided;
  IRM_RETURN_IF_ERROR(ApplyToReviewUnlessVoid(log_, event, &review, &voided));
  // A void event is ignored like an event of an unknown type: it changes no review.
  if (voided.has_value()) return absl::OkStatus();
  state.Put(key, review.SerializeAsString());
  return absl::OkStatus();
}

absl::StatusOr<std::optional<event::v1::ReviewState>> ReadReview(
    const projection::ProjectionStore& store, const std::string& state, int cycle) {
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                       store.Get(kReviewsProjection, Key(state, cycle)));
  if (!stored.has_value()) return std::optional<event::v1::ReviewState>();
  event::v1::ReviewState review;
  if (!review.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("projection state of ", state, " does not decode"));
  }
  return std::optional<event::v1::ReviewState>(std::move(review));
}

absl::StatusOr<std::vector<event::v1::ReviewState>> ReadReviews(
    const projection::ProjectionStore& store, int cycle) {
  std::vector<event::v1::ReviewState> reviews;
  bool bad = false;
  const std::string prefix = cycle == 0 ? "review/" : absl::StrCat("review/", cycle, "/");
  IRM_RETURN_IF_ERROR(store.Scan(kReviewsProjection, prefix,
                                 [&](absl::string_view, absl::string_view value) {
                                   event::v1::ReviewState& review = reviews.emplace_back();
                                   bad = !review.ParseFromArray(value.data(), value.size());
                                   return !bad;
                                 }));
  if (bad) return absl::DataLossError("a review in the reviews projection does not decode");
  return reviews;
}

}  // namespace irm::review
