// Machine-readable facts about an error, carried inside absl::Status as payloads, so a
// client can act on an error without parsing its English message. The engine stays free of
// RPC types: services/grpc_status.h turns these into the standard google.rpc ErrorInfo,
// BadRequest and RetryInfo details (docs/log.md, "Errors").
//
//   return WithReason(absl::AbortedError("..."), "WRONG_EXPECTED_REVISION",
//                     {{"stream", stream}, {"expected", "3"}, {"actual", "5"}});
//   return InvalidField("events[3].data", "EVENT_TOO_LARGE", "...", {{"limit", "1048576"}});
//
// A status holds at most one reason, one field and one retry delay; attaching another
// replaces the earlier one. A new status made from another's message loses them: pass the
// status itself on, or use UnderField() to place a field path inside an enclosing one.
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_COMMON_ERROR_DETAILS_H_
#define IRM_ENGINE_COMMON_ERROR_DETAILS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace irm::common {

// Facts given as key/value pairs: stream names, revisions, positions, limits, as text.
using ErrorMetadata = std::vector<std::pair<std::string, std::string>>;

// Why an error happened: a constant UPPER_SNAKE_CASE reason and its facts.
struct ErrorReason {
  std::string reason;
  ErrorMetadata metadata;
};

// The request field an INVALID_ARGUMENT is about, as a path ("events[3].data", "state").
struct FieldViolation {
  std::string field;
  std::string description;  // what is wrong with it; the status message unless given
};

// `status` with `reason` and `metadata` attached. An OK status is returned unchanged.
absl::Status WithReason(absl::Status status, absl::string_view reason,
                        ErrorMetadata metadata = {});

// `status` naming `field` as the one at fault; `description` empty means the message.
absl::Status WithField(absl::Status status, absl::string_view field,
                       absl::string_view description = "");

// `status` with the field path prefixed by `prefix` ("events[3]" + "data" ->
// "events[3].data"), or set to `prefix` if it named none. OK stays OK.
absl::Status UnderField(absl::Status status, absl::string_view prefix);

// `status` saying a retry may succeed after `delay`.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// `status` with its message replaced by `prefix` + ": " + its message, details kept
// ("event 3 of the append to s: " + "event type '1x' must start ..."). OK stays OK.
absl::Status WithContext(const absl::Status& status, absl::string_view prefix);

// InvalidArgument(`message`) about `field`, with `reason` and `metadata`.
absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message, ErrorMetadata metadata = {});

std::optional<ErrorReason> GetErrorReason(const absl::Status& status);
std::optional<FieldViolation> GetFieldViolation(const absl::Status& status);
std::optional<absl::Duration> GetRetryDelay(const absl::Status& status);

}  // namespace irm::common

#endif  // IRM_ENGINE_COMMON_ERROR_DETAILS_H_
