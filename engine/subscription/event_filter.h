// EventFilter: which events a subscriber wants. Criteria combine with AND; an empty
// criterion matches everything; several types match any of them. Immutable; thread-safe.
#ifndef IRM_ENGINE_SUBSCRIPTION_EVENT_FILTER_H_
#define IRM_ENGINE_SUBSCRIPTION_EVENT_FILTER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "engine/log/event_log.h"

namespace irm::subscription {

class EventFilter {
 public:
  EventFilter() = default;
  // InvalidArgument if `stream` or a type is malformed.
  static absl::StatusOr<EventFilter> Create(std::string stream, std::string stream_prefix,
                                            const std::vector<std::string>& types);

  bool Matches(const log::EventRecord& event) const;
  bool matches_everything() const {
    return stream_.empty() && stream_prefix_.empty() && types_.empty();
  }

 private:
  std::string stream_;
  std::string stream_prefix_;
  absl::flat_hash_set<std::string> types_;
};

}  // namespace irm::subscription

#endif  // IRM_ENGINE_SUBSCRIPTION_EVENT_FILTER_H_
