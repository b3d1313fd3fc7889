// ReviewsProjection ("reviews"): the folded ReviewState of every review, one key each
// ("review/<cycle>/<STATE>"), kept current by the ProjectionRunner. The questions (status,
// reviews, pipeline, overdue list, country profile) are answered from it, never by
// replaying streams per request.
#ifndef IRM_ENGINE_REVIEW_REVIEWS_PROJECTION_H_
#define IRM_ENGINE_REVIEW_REVIEWS_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection.h"
#include "engine/projection/projection_store.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

inline constexpr absl::string_view kReviewsProjection = "reviews";

class ReviewsProjection final : public projection::Projection {
 public:
  // `log` (not owned; may be null: then nothing is void) is where voids are looked up
  // (voids.h): a void event is skipped, and an unreadable one that is not void stops the
  // projection with DataLoss naming it.
  explicit ReviewsProjection(const log::EventLog* log = nullptr) : log_(log) {}

  absl::string_view name() const override { return kReviewsProjection; }
  absl::Status Apply(const log::EventRecord& event, projection::StateView& state) override;
  std::unique_ptr<projection::Projection> NewInstance() const override {
    return std::make_unique<ReviewsProjection>(log_);
  }
  // 2 (issue 21): agreements, drafts, circulated checklists and desk-review dates are
  // folded, and a deferral may release the reviewers.
  int version() const override { return 2; }

 private:
  const log::EventLog* const log_;
};

// One review from the projection; nullopt if it has none.
absl::StatusOr<std::optional<event::v1::ReviewState>> ReadReview(
    const projection::ProjectionStore& store, const std::string& state, int cycle);

// Every review of `cycle` (0: both), in cycle then State order.
absl::StatusOr<std::vector<event::v1::ReviewState>> ReadReviews(
    const projection::ProjectionStore& store, int cycle);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEWS_PROJECTION_H_
