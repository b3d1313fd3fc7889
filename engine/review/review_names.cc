#include "engine/review/review_names.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/common/quote.h"

namespace irm::review {

int StageIndex(absl::string_view stage) {
  for (int i = 0; i < static_cast<int>(std::size(kStages)); ++i) {
    if (kStages[i] == stage) return i;
  }
  return -1;
}

absl::Status CheckStage(absl::string_view stage) {
  if (StageIndex(stage) >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("unknown stage ", common::Quote(stage),
                                                 "; stages are ", absl::StrJoin(kStages, ", ")));
}

std::string NeedId(absl::string_view state, int cycle, int number) {
  return absl::StrCat(state, "-", cycle, "-", number);
}

absl::StatusOr<NeedRef> ParseNeedId(absl::string_view need_id) {
  std::vector<absl::string_view> parts = absl::StrSplit(need_id, '-');
  NeedRef ref;
  if (parts.size() != 3 || parts[0].size() != 3 || !absl::SimpleAtoi(parts[1], &ref.cycle) ||
      !absl::SimpleAtoi(parts[2], &ref.number) || ref.number < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(common::Quote(need_id),
                     " is not a need id: need ids look like KEN-2-3 (State, cycle, number)"));
  }
  ref.state = std::string(parts[0]);
  return ref;
}

}  // namespace irm::review
