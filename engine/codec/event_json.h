// The JSON form of an event: what `irm read --json`, `irm export` and `irm import` speak.
//
// One event is one JSON object, keys in this order (interface.md):
//   {"position":7,"stream":"review-KEN-2","revision":3,"id":"<uuid text>",
//    "type":"ChecklistSubmitted","content_type":"json","recorded_at":"2026-11-23T10:00:00.123456Z",
//    "data":{...},"metadata":{...}}
// - Numbers are JSON numbers. `recorded_at` is RFC 3339 UTC with exactly six fraction digits.
// - `content_type` is "json", "protobuf" or "unspecified".
// - `data`: for JSON content, the event's JSON value itself (not a string); for protobuf
//   content whose type names a message `irm.event.v1.<type>` linked into the binary, that
//   message's protobuf JSON mapping with proto field names (snake_case).
// - `data_base64` (standard base64 of the raw bytes) replaces `data` when the bytes are not
//   valid JSON, name no known message, or do not parse as it. When the JSON mapping would
//   lose bytes (unknown fields, non-canonical encoding) both are written; `data_base64` then
//   is authoritative and `data` is for people.
// - `metadata` holds only the non-empty fields of EventMetadata except recorded_at_us:
//   `actor` {name, role, state} (non-empty ones), `on_behalf_of`, `correlation_id`,
//   `causation_id`, `request_id`, `custom` (the custom_json value; `custom_base64` if it is
//   not JSON), `imported_from` {position, metadata{... same shape plus `recorded_at`}}.
//
// ParseEventJson is the exact inverse for everything EventToJson writes, except that JSON
// data and custom metadata come back re-serialized compactly (key order kept).
//
// All functions are thread-safe and never throw.
#ifndef IRM_ENGINE_CODEC_EVENT_JSON_H_
#define IRM_ENGINE_CODEC_EVENT_JSON_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "irm/event/v1/record.pb.h"
#include "nlohmann/json.hpp"

namespace irm::codec {

// The JSON object of `record`, in the shape above.
nlohmann::ordered_json EventToJson(const event::v1::EventRecord& record);

// EventToJson(record) as one compact line without the trailing newline. Invalid UTF-8 in
// strings is replaced by U+FFFD rather than failing.
std::string EventToJsonLine(const event::v1::EventRecord& record);

// Compact text of a JSON value, invalid UTF-8 replaced by U+FFFD. Never throws.
std::string DumpCompact(const nlohmann::ordered_json& value);

// Parses one line written by EventToJson back into the record it came from: position,
// stream, revision, id (16 raw bytes), type, content_type, data bytes and metadata
// (recorded_at_us from `recorded_at`). Unknown keys are ignored so newer exports stay
// readable. Errors are InvalidArgument naming the field and what was expected, e.g.
// "field 'stream' is missing" or "field 'metadata.imported_from.position': expected an
// unsigned integer".
absl::StatusOr<event::v1::EventRecord> ParseEventJson(absl::string_view line);

// "2026-11-23T10:00:00.123456Z" for microseconds since the Unix epoch.
std::string FormatTimestampMicros(int64_t unix_micros);

// Parses RFC 3339 ("2026-11-23T10:00:00Z", "...00.123456Z", "...00+01:00") to microseconds
// since the Unix epoch; sub-microsecond digits are truncated. InvalidArgument otherwise.
absl::StatusOr<int64_t> ParseTimestampMicros(absl::string_view text);

}  // namespace irm::codec

#endif  // IRM_ENGINE_CODEC_EVENT_JSON_H_
