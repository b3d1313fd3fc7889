// Human-readable one-line forms of events for `irm read` and similar commands.
//
//      7  review-KEN-2@3  2026-11-23T10:00:00Z  ChecklistSubmitted  {"publish":true}
//
// Stateless; thread-safe.
#ifndef IRM_CLI_CORE_EVENT_TEXT_H_
#define IRM_CLI_CORE_EVENT_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "irm/event/v1/record.pb.h"

namespace irm::cli {

inline constexpr size_t kMaxDataChars = 100;

// Position (right-aligned), stream@revision, recorded time to the second (UTC), type and
// the data on one line (codec::DataText: JSON as stored, or the protobuf JSON mapping,
// else "base64:..."), truncated to kMaxDataChars characters with "…".
std::string EventSummaryLine(const event::v1::EventRecord& record);

// `text` cut to at most `max_chars` UTF-8 characters; "…" replaces the cut-off tail.
std::string TruncateUtf8(absl::string_view text, size_t max_chars);

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_EVENT_TEXT_H_
