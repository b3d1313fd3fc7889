#include "engine/subscription/event_filter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/log/append_validation.h"

namespace irm::subscription {

absl::StatusOr<EventFilter> EventFilter::Create(std::string stream, std::string stream_prefix,
                                                const std::vector<std::string>& types) {
  if (!stream.empty()) {
    if (absl::Status s = log::ValidateStreamName(stream); !s.ok()) return s;
  }
  if (stream_prefix.size() > log::kMaxStreamNameLength) {
    return common::InvalidField(
        "stream_prefix", "INVALID_STREAM_NAME",
        absl::StrCat("stream prefix is ", stream_prefix.size(), " characters long; at most ",
                     log::kMaxStreamNameLength, " are allowed"),
        {{"limit", absl::StrCat(log::kMaxStreamNameLength)},
         {"length", absl::StrCat(stream_prefix.size())}});
  }
  EventFilter filter;
  for (size_t i = 0; i < types.size(); ++i) {
    if (absl::Status s = log::ValidateEventType(types[i]); !s.ok()) {
      return common::WithField(s, absl::StrCat("types[", i, "]"));
    }
    filter.types_.insert(types[i]);
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
