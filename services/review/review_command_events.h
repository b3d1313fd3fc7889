// Maps a ReviewCommand of the API onto the workflow event that records it. Pure.
#ifndef IRM_SERVICES_REVIEW_REVIEW_COMMAND_EVENTS_H_
#define IRM_SERVICES_REVIEW_REVIEW_COMMAND_EVENTS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "irm/api/v1/review.pb.h"

namespace irm::services {

// The event for every command that maps onto exactly one event with no draw. For
// assign-reviewers and redraw, which need the cycle's assignments, returns nullptr.
// InvalidArgument if the command is empty.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> EventForCommand(
    const api::v1::ReviewCommand& command);

}  // namespace irm::services

#endif  // IRM_SERVICES_REVIEW_REVIEW_COMMAND_EVENTS_H_
