// A review's outcomes and the follow-up of its recommendations (issue 22, docs/outcomes.md):
// their vocabulary, ids, status on a date, per-review counts and the implementation rate.
//
// An outcome id is "KEN-2-R7": the review (State, cycle), the kind's letter (O observation,
// R recommendation, G good practice, C challenge) and its number among the review's outcomes
// of that kind. A recommendation with no status change counts as not_started. The
// implementation rate is (implemented + partially_implemented / 2) over the recommendations
// not marked no_longer_relevant. Pure functions; thread-safe.
#ifndef IRM_ENGINE_REVIEW_OUTCOMES_H_
#define IRM_ENGINE_REVIEW_OUTCOMES_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

inline constexpr absl::string_view kOutcomeKinds[] = {"observation", "recommendation",
                                                      "good_practice", "challenge"};
inline constexpr absl::string_view kRecommendationStatuses[] = {
    "not_started", "partially_implemented", "implemented", "no_longer_relevant"};
inline constexpr absl::string_view kRecommendation = "recommendation";
inline constexpr absl::string_view kNotStarted = "not_started";

// InvalidArgument (with field `field` and the allowed values) unless `kind` / `status` is one.
absl::Status CheckOutcomeKind(absl::string_view kind, absl::string_view field);
absl::Status CheckRecommendationStatus(absl::string_view status, absl::string_view field);

// "KEN-2-R7" for the 7th recommendation of review-KEN-2.
std::string OutcomeId(absl::string_view state, int cycle, absl::string_view kind, int number);
struct OutcomeRef {
  std::string state;
  int cycle = 0;
  std::string kind;
  int number = 0;
};
// InvalidArgument saying what an outcome id looks like.
absl::StatusOr<OutcomeRef> ParseOutcomeId(absl::string_view outcome_id);

// The outcome of `review` with `id`, or nullptr.
const event::v1::OutcomeState* FindOutcome(const event::v1::ReviewState& review,
                                           absl::string_view id);
// Outcomes of `kind` the review has.
int CountOutcomes(const event::v1::ReviewState& review, absl::string_view kind);

// True if the outcome was recorded on or before `as_of` (nullopt: always).
bool RecordedBy(const event::v1::OutcomeState& outcome, std::optional<absl::CivilDay> as_of);
// The status of a recommendation on `as_of` (nullopt: its latest): that of its latest step
// (business date, then position) on or before the date; not_started if none.
std::string StatusOn(const event::v1::OutcomeState& outcome, std::optional<absl::CivilDay> as_of);

// Counts of a set of recommendations per status, and the rate that follows.
struct StatusTally {
  int not_started = 0;
  int partially_implemented = 0;
  int implemented = 0;
  int no_longer_relevant = 0;
  void Add(absl::string_view status);
  int Total() const;
  int Of(absl::string_view status) const;
  // nullopt when no recommendation counts (all no_longer_relevant or none).
  std::optional<double> ImplementationRate() const;
};

// The review's outcomes recorded by `as_of` per kind and its recommendations' statuses then.
struct ReviewOutcomes {
  int observations = 0;
  int recommendations = 0;
  int good_practices = 0;
  int challenges = 0;
  StatusTally statuses;
};
ReviewOutcomes TallyOutcomes(const event::v1::ReviewState& review,
                             std::optional<absl::CivilDay> as_of = std::nullopt);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_OUTCOMES_H_
