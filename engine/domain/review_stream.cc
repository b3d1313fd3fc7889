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

namespace {

// "<prefix><STATE>-<CYCLE>" -> (STATE, CYCLE).
bool ParseStateCycle(absl::string_view stream, absl::string_view prefix, std::string* state,
                     int* cycle) {
  if (!absl::StartsWith(stream, prefix)) return false;
  const absl::string_view rest = stream.substr(prefix.size());
  const size_t dash = rest.rfind('-');
  if (dash == absl::string_view::npos || dash == 0) return false;
  if (!absl::SimpleAtoi(rest.substr(dash + 1), cycle)) return false;
  *state = std::string(rest.substr(0, dash));
  return true;
}

}  // namespace

bool ParseReviewStream(absl::string_view stream, std::string* state, int* cycle) {
  return ParseStateCycle(stream, kReviewStreamPrefix, state, cycle);
}

bool IsDeadlineStream(absl::string_view stream) {
  return absl::StartsWith(stream, kDeadlineStreamPrefix);
}

std::string DeadlineStreamName(absl::string_view state, int cycle) {
  return absl::StrCat(kDeadlineStreamPrefix, state, "-", cycle);
}

bool ParseDeadlineStream(absl::string_view stream, std::string* state, int* cycle) {
  return ParseStateCycle(stream, kDeadlineStreamPrefix, state, cycle);
}

}  // namespace irm::domain
