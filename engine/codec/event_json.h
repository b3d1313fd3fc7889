// The JSON form of an event: what `irm read --json`, `irm export`, `irm import`, `irm
// subscribe --json` and the HTTP side's event stream (SSE) speak.
//
// One event is one line holding one JSON object, keys in this order:
//   {"position":7,"stream":"review-KEN-2","revision":3,"id":"<uuid text>",
//    "type":"ChecklistSubmitted","content_type":"json","recorded_at":"2026-11-23T10:00:00.123456Z",
//    "data":{...},"metadata":{...}}
// - Numbers are JSON numbers. `recorded_at` is RFC 3339 UTC with exactly six fraction digits.
// - `content_type` is "json", "protobuf" or "unspecified".
// - The event's data bytes are given exactly, one of two ways:
//   `data`: JSON data, its stored bytes verbatim as the member's value (big numbers, long
//     decimals, escapes and spacing exactly as sent), when they are JSON ValidateJson
//     accepts and hold no raw line break (CR or LF, which JSON allows as white space);
//   `data_base64`: standard base64 of the bytes, otherwise: JSON data with a line break (so
//     that a JSON Lines record stays one line), protobuf and unspecified content, and
//     stored bytes that are not valid JSON.
// - `decoded`, for people and never authoritative: for protobuf content whose type names a
//   message `irm.event.v1.<type>` linked into the binary and whose bytes parse as it, that
//   message's protobuf JSON mapping with proto field names (snake_case).
// - `redacted`: true when the record is a view redacted for its reader
//   (engine/access/visibility): its data and metadata are not the stored bytes.
// - `metadata` holds only the non-empty fields of EventMetadata except recorded_at_us:
//   `actor` {name, role, state} (non-empty ones), `on_behalf_of`, `correlation_id`,
//   `causation_id`, `request_id`, `custom` (the custom_json bytes verbatim, by the same rule
//   as `data`; `custom_base64` otherwise), `imported_from` {position, metadata{... same
//   shape plus `recorded_at`}}.
//
// ParseEventJson is the exact inverse of EventToJsonLine, byte for byte for data and custom
// metadata; it refuses a line marked `"redacted":true` (not the stored event). It also reads what earlier versions wrote: `data` as the JSON mapping of
// protobuf content (converted back to the message's bytes), and `data_base64` beside `data`
// (the bytes win).
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

struct EventJsonOptions {
  // The record is a view redacted for its reader: write "redacted":true.
  bool redacted = false;
};

// The JSON line of `record`, in the shape above, without the trailing newline. It holds no
// raw CR or LF. Invalid UTF-8 in metadata strings is replaced by U+FFFD.
std::string EventToJsonLine(const event::v1::EventRecord& record,
                            const EventJsonOptions& options = {});

// The data for people, on one line: JSON data as stored with its line breaks and tabs turned
// into spaces, protobuf data as `decoded` above, anything else "base64:" and the bytes in
// base64.
std::string DataText(const event::v1::EventRecord& record);

// Compact text of a JSON value, invalid UTF-8 replaced by U+FFFD. Never throws.
std::string DumpCompact(const nlohmann::ordered_json& value);

// Parses one line written by EventToJsonLine back into the record it came from: position,
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
