// Checks on an append request that need no log state: names, sizes, ids, JSON.
//
// Pure functions; thread-safe. Every error is InvalidArgument and says what was wrong and
// what would be right.
#ifndef IRM_ENGINE_LOG_APPEND_VALIDATION_H_
#define IRM_ENGINE_LOG_APPEND_VALIDATION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/log/event_log.h"

namespace irm::log {

inline constexpr size_t kMaxStreamNameLength = 200;
inline constexpr size_t kMaxEventTypeLength = 128;

// A stream name: 1-200 characters from [A-Za-z0-9_.:@-], starting with a letter or digit.
// Names starting with '$' are reserved ('$all' is the whole log).
absl::Status ValidateStreamName(absl::string_view stream);

// An event type: 1-128 characters from [A-Za-z0-9_.-], starting with a letter.
absl::Status ValidateEventType(absl::string_view type);

// Checks everything about `request` that does not depend on the log's contents: the stream
// name, the event count, each event's type, id, content type and data size, JSON data
// (ValidateJson: RFC 8259, strict UTF-8, no duplicate keys, no byte order mark, nested at
// most kMaxJsonDepth levels), custom metadata (one JSON object, checked the same way),
// duplicate ids within the request, and the total size. Nothing is rewritten: the log
// stores data and custom metadata exactly as sent, and an idempotent retry must send the
// same bytes.
absl::Status ValidateAppend(const AppendRequest& request, const LogLimits& limits);

}  // namespace irm::log

#endif  // IRM_ENGINE_LOG_APPEND_VALIDATION_H_
