#include "engine/log/append_validation.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/common/uuid.h"
#include "engine/log/json_validation.h"

namespace irm::log {
namespace {

using common::InvalidField;
using common::Quote;

bool IsStreamChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         c == ':' || c == '@' || c == '-';
}

bool IsTypeChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// The first character of `name` that `allowed` refuses, as (byte offset, character); the
// character is one whole UTF-8 sequence (or one byte that is not UTF-8).
std::optional<std::pair<size_t, absl::string_view>> FirstBadChar(absl::string_view name,
                                                                 bool (*allowed)(char)) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (allowed(name[i])) continue;
    const size_t length = std::max<size_t>(common::Utf8CharLength(name.substr(i)), 1);
    return std::make_pair(i, name.substr(i, length));
  }
  return std::nullopt;
}

// InvalidArgument about `field` naming the first character of `name` not allowed in it.
absl::Status BadCharacter(absl::string_view field, absl::string_view what, absl::string_view name,
                          size_t offset, absl::string_view c, absl::string_view allowed,
                          absl::string_view reason) {
  const bool ascii = c.size() == 1 && static_cast<unsigned char>(c[0]) < 0x80;
  return InvalidField(
      field, reason,
      absl::StrCat(what, " ", Quote(name), " has ", Quote(c, 1),
                   ascii ? "" : " (not ASCII)", " at byte ", offset,
                   ", which is not allowed in ", what, "s; use only ", allowed),
      {{"character", common::Escape(c)}, {"offset", absl::StrCat(offset)},
       {"allowed", std::string(allowed)}});
}

constexpr char kStreamChars[] = "ASCII letters, digits and _ . : @ -";
constexpr char kTypeChars[] = "ASCII letters, digits and _ . -";

// The event's data plus custom metadata within limits.max_event_bytes, and the record it
// makes within kMaxEventRecordBytes. `field` is the event's path ("events[3]"), `where`
// says which event it is in words.
absl::Status CheckEventSize(const std::string& stream, const ProposedEvent& e,
                            const LogLimits& limits, absl::string_view field,
                            absl::string_view where) {
  const size_t custom = e.metadata.custom_json().size();
  if (e.data.size() + custom > limits.max_event_bytes) {
    return InvalidField(
        absl::StrCat(field, ".data"), "EVENT_TOO_LARGE",
        absl::StrCat(where, " (", e.type, ") has ", e.data.size(), " bytes of data and ",
                     custom, " bytes of custom metadata; at most ", limits.max_event_bytes,
                     " bytes of data and custom metadata together are allowed (irmd "
                     "--max-event-bytes)"),
        {{"limit", absl::StrCat(limits.max_event_bytes)},
         {"size", absl::StrCat(e.data.size() + custom)}});
  }
  // The record's fields besides data and metadata: stream, type, id, position, revision,
  // content type, their tags and lengths, and what the writer adds (the recorded time).
  constexpr size_t kRecordFramingBytes = 128;
  const size_t record = e.data.size() + e.metadata.ByteSizeLong() + stream.size() +
                        e.type.size() + kRecordFramingBytes;
  if (record > kMaxEventRecordBytes) {
    return InvalidField(
        absl::StrCat(field, ".metadata"), "EVENT_RECORD_TOO_LARGE",
        absl::StrCat(where, " (", e.type, ") would be stored as about ", record,
                     " bytes with its metadata (correlation and causation ids, import "
                     "origin); an event record is at most ", kMaxEventRecordBytes,
                     " bytes so that any client can read it back in one 4 MiB message: "
                     "shorten the metadata"),
        {{"limit", absl::StrCat(kMaxEventRecordBytes)}, {"size", absl::StrCat(record)}});
  }
  return absl::OkStatus();
}

// `status` from ValidateJson about the JSON at `field`, its message after `prefix`.
absl::Status JsonRefused(const absl::Status& status, absl::string_view field,
                         absl::string_view prefix) {
  const bool too_deep = absl::StrContains(status.message(), "levels deep");
  absl::Status named = common::WithField(common::WithContext(status, prefix), field);
  if (!too_deep) return common::WithReason(std::move(named), "INVALID_JSON", {});
  return common::WithReason(std::move(named), "JSON_TOO_DEEP",
                            {{"limit", absl::StrCat(kMaxJsonDepth)}});
}

}  // namespace

absl::Status ValidateStreamName(absl::string_view stream) {
  constexpr char kReason[] = "INVALID_STREAM_NAME";
  if (stream.empty()) {
    return InvalidField("stream", kReason, "stream name is empty: give a name like review-KEN-2");
  }
  if (stream.size() > kMaxStreamNameLength) {
    return InvalidField("stream", kReason,
                        absl::StrCat("stream name ", Quote(stream), " is ", stream.size(),
                                     " characters long; at most ", kMaxStreamNameLength,
                                     " are allowed"),
                        {{"limit", absl::StrCat(kMaxStreamNameLength)},
                         {"length", absl::StrCat(stream.size())}});
  }
  if (stream[0] == '$') {
    return InvalidField("stream", kReason,
                        absl::StrCat("stream name ", Quote(stream),
                                     " is reserved: names starting with '$' belong to the log "
                                     "('$all' is read-only)"));
  }
  if (auto bad = FirstBadChar(stream, IsStreamChar)) {
    return BadCharacter("stream", "stream name", stream, bad->first, bad->second, kStreamChars,
                        kReason);
  }
  if (!absl::ascii_isalnum(static_cast<unsigned char>(stream[0]))) {
    return InvalidField("stream", kReason,
                        absl::StrCat("stream name ", Quote(stream),
                                     " must start with an ASCII letter or digit, not ",
                                     Quote(stream.substr(0, 1))));
  }
  return absl::OkStatus();
}

absl::Status ValidateEventType(absl::string_view type) {
  constexpr char kReason[] = "INVALID_EVENT_TYPE";
  if (type.empty()) {
    return InvalidField("type", kReason,
                        "event type is empty: give a type like ChecklistSubmitted");
  }
  if (type.size() > kMaxEventTypeLength) {
    return InvalidField("type", kReason,
                        absl::StrCat("event type ", Quote(type), " is ", type.size(),
                                     " characters long; at most ", kMaxEventTypeLength,
                                     " are allowed"),
                        {{"limit", absl::StrCat(kMaxEventTypeLength)},
                         {"length", absl::StrCat(type.size())}});
  }
  if (auto bad = FirstBadChar(type, IsTypeChar)) {
    return BadCharacter("type", "event type", type, bad->first, bad->second, kTypeChars, kReason);
  }
  if (!absl::ascii_isalpha(static_cast<unsigned char>(type[0]))) {
    return InvalidField("type", kReason,
                        absl::StrCat("event type ", Quote(type),
                                     " must start with an ASCII letter, not ",
                                     Quote(type.substr(0, 1))));
  }
  return absl::OkStatus();
}

absl::Status ValidateAppend(const AppendRequest& request, const LogLimits& limits) {
  if (absl::Status s = ValidateStreamName(request.stream); !s.ok()) return s;
  if (request.events.empty()) {
    return InvalidField("events", "NO_EVENTS",
                        absl::StrCat("append to ", request.stream,
                                     " has no events: give at least one"));
  }
  if (request.events.size() > limits.max_events_per_append) {
    return InvalidField(
        "events", "TOO_MANY_EVENTS",
        absl::StrCat("append to ", request.stream, " has ", request.events.size(),
                     " events; at most ", limits.max_events_per_append,
                     " fit in one append: split it"),
        {{"limit", absl::StrCat(limits.max_events_per_append)},
         {"count", absl::StrCat(request.events.size())}});
  }
  absl::flat_hash_map<absl::string_view, size_t> ids;  // id -> index of its event
  size_t total_bytes = 0;
  for (size_t i = 0; i < request.events.size(); ++i) {
    const ProposedEvent& e = request.events[i];
    const std::string field = absl::StrCat("events[", i, "]");
    const auto where = [&] { return absl::StrCat("event ", i, " of the append to ", request.stream); };
    if (absl::Status s = ValidateEventType(e.type); !s.ok()) {
      return common::UnderField(common::WithContext(s, where()), field);
    }
    if (!e.id.empty()) {
      if (e.id.size() != common::Uuid::kSize) {
        return InvalidField(absl::StrCat(field, ".id"), "INVALID_EVENT_ID",
                            absl::StrCat(where(), " has an id of ", e.id.size(),
                                         " bytes; an event id is 16 raw bytes (a UUID), or "
                                         "empty for the server to make one"),
                            {{"length", absl::StrCat(e.id.size())}});
      }
      if (auto [it, inserted] = ids.emplace(e.id, i); !inserted) {
        return InvalidField(absl::StrCat(field, ".id"), "DUPLICATE_EVENT_ID",
                            absl::StrCat(where(), ": id ", common::UuidBytesToString(e.id),
                                         " is also the id of event ", it->second,
                                         "; every event needs its own id"),
                            {{"id", common::UuidBytesToString(e.id)},
                             {"first_index", absl::StrCat(it->second)}});
      }
    }
    if (e.data.empty()) {
      return InvalidField(absl::StrCat(field, ".data"), "EMPTY_DATA",
                          absl::StrCat(where(), " (", e.type,
                                       ") has empty data; send at least {} for JSON"));
    }
    if (absl::Status s = CheckEventSize(request.stream, e, limits, field, where()); !s.ok()) {
      return s;
    }
    switch (e.content_type) {
      case event::v1::CONTENT_TYPE_JSON:
        if (absl::Status s = ValidateJson(e.data); !s.ok()) {
          return JsonRefused(s, absl::StrCat(field, ".data"),
                             absl::StrCat(where(), " (", e.type, "): JSON data refused"));
        }
        break;
      case event::v1::CONTENT_TYPE_PROTOBUF:
        break;
      default:
        return InvalidField(
            absl::StrCat(field, ".content_type"), "INVALID_ENUM_VALUE",
            absl::StrCat(where(), " (", e.type, ") has content type ",
                         event::v1::ContentType_IsValid(e.content_type)
                             ? event::v1::ContentType_Name(e.content_type)
                             : absl::StrCat(static_cast<int>(e.content_type)),
                         "; set CONTENT_TYPE_JSON or CONTENT_TYPE_PROTOBUF"),
            {{"allowed", "CONTENT_TYPE_JSON, CONTENT_TYPE_PROTOBUF"}});
    }
    const std::string& custom = e.metadata.custom_json();
    if (!custom.empty()) {
      if (absl::Status s = ValidateJson(custom); !s.ok()) {
        return JsonRefused(s, absl::StrCat(field, ".custom_json"),
                           absl::StrCat(where(), ": custom metadata refused"));
      }
      if (custom[custom.find_first_not_of(" \t\r\n")] != '{') {
        return InvalidField(absl::StrCat(field, ".custom_json"), "INVALID_JSON",
                            absl::StrCat(where(), ": custom metadata must be one JSON object, "
                                                  "like {\"ticket\":\"T-1\"}"));
      }
    }
    total_bytes += e.data.size() + custom.size() + e.type.size();
  }
  if (total_bytes > limits.max_append_bytes) {
    return InvalidField("events", "APPEND_TOO_LARGE",
                        absl::StrCat("append to ", request.stream, " carries ", total_bytes,
                                     " bytes; at most ", limits.max_append_bytes,
                                     " fit in one append: split it"),
                        {{"limit", absl::StrCat(limits.max_append_bytes)},
                         {"size", absl::StrCat(total_bytes)}});
  }
  return absl::OkStatus();
}

}  // namespace irm::log
