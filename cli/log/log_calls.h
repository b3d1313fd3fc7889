// Thin wrappers over LogService calls for the `irm` commands: each prepares the call
// context (token, deadline), runs the call and returns absl::Status in the one-line form.
//
// Streaming reads have no deadline; the callback sees each event once, in server order.
// If the callback fails the call is cancelled and its status returned.
#ifndef IRM_CLI_LOG_LOG_CALLS_H_
#define IRM_CLI_LOG_LOG_CALLS_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli/core/connection.h"
#include "irm/api/v1/log.pb.h"

namespace irm::cli {

// Called with each event read and whether it is a view redacted for the caller
// (ReadResponse.redacted_positions): then its data or metadata are not the stored bytes.
using EventCallback =
    std::function<absl::Status(const event::v1::EventRecord&, bool redacted)>;

// How a read ended, from its last message: whether it reached the end (rather than its
// limit), and the revision (ReadStream) or position (ReadAll) a read continues from.
struct ReadEnd {
  bool reached_end = false;
  uint64_t next = 0;
};

absl::StatusOr<api::v1::AppendResponse> CallAppend(Connection& connection,
                                                   const api::v1::AppendRequest& request);

// `end` (optional) receives how the read ended, once it succeeded.
absl::Status CallReadAll(Connection& connection, const api::v1::ReadAllRequest& request,
                         const EventCallback& callback, ReadEnd* end = nullptr);

absl::Status CallReadStream(Connection& connection, const api::v1::ReadStreamRequest& request,
                            const EventCallback& callback, ReadEnd* end = nullptr);

absl::StatusOr<api::v1::StreamInfo> CallGetStreamInfo(Connection& connection,
                                                      const std::string& stream);

absl::StatusOr<api::v1::LogInfo> CallGetLogInfo(Connection& connection);

}  // namespace irm::cli

#endif  // IRM_CLI_LOG_LOG_CALLS_H_
