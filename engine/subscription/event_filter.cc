#include "engine/subscription/event_filter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/log/append_validation.h"

namespace irm::subscription {

absl::StatusOr<EventFilter> EventFilter::Create(std::string stream, std::string stream_prefix,
                                                const std::vector<std::string>& types) {
  if (!stream.empty()) {
    if (absl::Status s = log::ValidateStreamName(stream); !s.ok()) return s;
  }
  if (stream_prefix.size() > log::kMaxStreamNameLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream prefix is longer than ", log::kMaxStreamNameLength, " characters"));
  }
  EventFilter filter;
  for (const std::string& type : types) {
    if (absl::Status s = log::ValidateEventType(type); !s.ok()) return s;
    filter.types_.insert(type);
  }
  filter.stream_ = std::move(stream);
  filter.stream_prefix_ = std::move(stream_prefix);
  return filter;
}

bool EventFilter::Matches(const log::EventRecord& event) const {
  if (!stream_.empty() && event.stream() != stream_) return false;
  if (!stream_prefix_.empty() && !absl::StartsWith(event.stream(), stream_prefix_)) return false;
  if (!types_.empty() && !types_.contains(event.type())) return false;
  return true;
}

}  // namespace irm::subscription
