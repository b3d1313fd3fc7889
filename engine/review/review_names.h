// The review workflow's vocabulary (domain.md section 3): stream names, stages, event types.
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_REVIEW_REVIEW_NAMES_H_
#define IRM_ENGINE_REVIEW_REVIEW_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/domain/review_stream.h"

namespace irm::review {

// "review-KEN-2" (engine/domain/review_stream.h spells stream names).
inline std::string ReviewStream(absl::string_view state, int cycle) {
  return domain::ReviewStreamName(state, cycle);
}
using domain::kReviewStreamPrefix;

// Stages in order; StageIndex is -1 for an unknown name.
inline constexpr absl::string_view kStages[] = {
    "scheduled",           "reviewers_drawn",     "launched", "focal_point_appointed",
    "kickoff_held",        "checklist_submitted", "desk_review_done", "dialogue_held",
    "draft_report",        "summary_approved",    "completed"};
int StageIndex(absl::string_view stage);
// InvalidArgument listing the stages unless `stage` is one.
absl::Status CheckStage(absl::string_view stage);

// "KEN-2-3" <-> (KEN, 2, 3).
std::string NeedId(absl::string_view state, int cycle, int number);
struct NeedRef {
  std::string state;
  int cycle = 0;
  int number = 0;
};
absl::StatusOr<NeedRef> ParseNeedId(absl::string_view need_id);

inline constexpr absl::string_view kNeedStatuses[] = {"current", "anticipated", "addressed",
                                                      "unmet"};

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEW_NAMES_H_
