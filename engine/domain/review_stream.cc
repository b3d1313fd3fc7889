#include "engine/domain/review_stream.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace irm::domain {

bool IsReviewStream(absl::string_view stream) {
  return absl::StartsWith(stream, kReviewStreamPrefix);
}

std::string ReviewStreamName(absl::string_view state, int cycle) {
  return absl::StrCat(kReviewStreamPrefix, state, "-", cycle);
}

bool ParseReviewStream(absl::string_view stream, std::string* state, int* cycle) {
  if (!IsReviewStream(stream)) return false;
  const absl::string_view rest = stream.substr(kReviewStreamPrefix.size());
  const size_t dash = rest.rfind('-');
  if (dash == absl::string_view::npos || dash == 0) return false;
  if (!absl::SimpleAtoi(rest.substr(dash + 1), cycle)) return false;
  *state = std::string(rest.substr(0, dash));
  return true;
}

}  // namespace irm::domain
