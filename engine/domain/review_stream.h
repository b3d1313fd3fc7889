// Review stream names: the one place that spells them. A review's events live in the stream
// "review-<STATE>-<CYCLE>", e.g. "review-KEN-2" (domain.md section 3); the deadlines irmd
// found passed for it in "deadline-<STATE>-<CYCLE>" (docs/deadlines.md). Pure functions;
// thread-safe.
#ifndef IRM_ENGINE_DOMAIN_REVIEW_STREAM_H_
#define IRM_ENGINE_DOMAIN_REVIEW_STREAM_H_

#include <string>

#include "absl/strings/string_view.h"

namespace irm::domain {

inline constexpr absl::string_view kReviewStreamPrefix = "review-";

// Whether `stream` is a review's stream (starts with the prefix; the rest is not checked).
bool IsReviewStream(absl::string_view stream);

// "review-KEN-2" for (KEN, 2).
std::string ReviewStreamName(absl::string_view state, int cycle);

// "review-KEN-2" -> (KEN, 2); false for any other stream name.
bool ParseReviewStream(absl::string_view stream, std::string* state, int* cycle);

inline constexpr absl::string_view kDeadlineStreamPrefix = "deadline-";

// Whether `stream` is a review's deadline stream (starts with the prefix).
bool IsDeadlineStream(absl::string_view stream);

// "deadline-KEN-2" for (KEN, 2).
std::string DeadlineStreamName(absl::string_view state, int cycle);

// "deadline-KEN-2" -> (KEN, 2); false for any other stream name.
bool ParseDeadlineStream(absl::string_view stream, std::string* state, int* cycle);

}  // namespace irm::domain

#endif  // IRM_ENGINE_DOMAIN_REVIEW_STREAM_H_
