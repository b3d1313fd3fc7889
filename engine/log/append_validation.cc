#include "engine/log/append_validation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/log/json_validation.h"

namespace irm::log {
namespace {

bool IsStreamChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         c == ':' || c == '@' || c == '-';
}

bool IsTypeChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::string Quoted(absl::string_view s) {
  constexpr size_t kShown = 60;
  if (s.size() <= kShown) return absl::StrCat("'", s, "'");
  return absl::StrCat("'", s.substr(0, kShown), "...' (", s.size(), " characters)");
}

// The event's data plus custom metadata within limits.max_event_bytes, and the record it
// makes within kMaxEventRecordBytes. The message completes "event i of the append (type) ".
absl::Status CheckEventSize(const std::string& stream, const ProposedEvent& e,
                            const LogLimits& limits) {
  const size_t custom = e.metadata.custom_json().size();
  if (e.data.size() + custom > limits.max_event_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "has ", e.data.size(), " bytes of data and ", custom,
        " bytes of custom metadata; at most ", limits.max_event_bytes,
        " bytes of data and custom metadata together are allowed (irmd --max-event-bytes)"));
  }
  // The record's fields besides data and metadata: stream, type, id, position, revision,
  // content type, their tags and lengths, and what the writer adds (the recorded time).
  constexpr size_t kRecordFramingBytes = 128;
  const size_t record = e.data.size() + e.metadata.ByteSizeLong() + stream.size() +
                        e.type.size() + kRecordFramingBytes;
  if (record > kMaxEventRecordBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "would be stored as about ", record, " bytes with its metadata (correlation and ",
        "causation ids, import origin); an event record is at most ", kMaxEventRecordBytes,
        " bytes so that any client can read it back in one 4 MiB message: shorten the metadata"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateStreamName(absl::string_view stream) {
  if (stream.empty()) {
    return absl::InvalidArgumentError("stream name is empty: give a name like review-KEN-2");
  }
  if (stream.size() > kMaxStreamNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("stream name ", Quoted(stream), " is ",
                                                   stream.size(), " characters long; at most ",
                                                   kMaxStreamNameLength, " are allowed"));
  }
  if (stream[0] == '$') {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream name ", Quoted(stream),
        " is reserved: names starting with '$' belong to the log ('$all' is read-only)"));
  }
  if (!absl::ascii_isalnum(static_cast<unsigned char>(stream[0]))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream name ", Quoted(stream), " must start with a letter or digit"));
  }
  for (char c : stream) {
    if (!IsStreamChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "stream name ", Quoted(stream), " contains a character not allowed in stream names; ",
          "use letters, digits and _ . : @ -"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateEventType(absl::string_view type) {
  if (type.empty()) {
    return absl::InvalidArgumentError("event type is empty: give a type like ChecklistSubmitted");
  }
  if (type.size() > kMaxEventTypeLength) {
    return absl::InvalidArgumentError(absl::StrCat("event type ", Quoted(type), " is longer than ",
                                                   kMaxEventTypeLength, " characters"));
  }
  if (!absl::ascii_isalpha(static_cast<unsigned char>(type[0]))) {
    return absl::InvalidArgumentError(
        absl::StrCat("event type ", Quoted(type), " must start with a letter"));
  }
  for (char c : type) {
    if (!IsTypeChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "event type ", Quoted(type), " contains a character not allowed in event types; ",
          "use letters, digits and _ . -"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAppend(const AppendRequest& request, const LogLimits& limits) {
  if (absl::Status s = ValidateStreamName(request.stream); !s.ok()) return s;
  if (request.events.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("append to ", request.stream, " has no events: give at least one"));
  }
  if (request.events.size() > limits.max_events_per_append) {
    return absl::InvalidArgumentError(absl::StrCat(
        "append to ", request.stream, " has ", request.events.size(),
        " events; at most ", limits.max_events_per_append, " fit in one append: split it"));
  }
  absl::flat_hash_set<absl::string_view> ids;
  size_t total_bytes = 0;
  for (size_t i = 0; i < request.events.size(); ++i) {
    const ProposedEvent& e = request.events[i];
    const auto where = [&] { return absl::StrCat("event ", i, " of the append to ", request.stream); };
    if (absl::Status s = ValidateEventType(e.type); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where(), ": ", s.message()));
    }
    if (!e.id.empty()) {
      if (auto id = common::Uuid::FromBytes(e.id); !id.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where(), ": ", id.status().message()));
      }
      if (!ids.insert(e.id).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            where(), ": id ", common::UuidBytesToString(e.id),
            " appears twice in one append; every event needs its own id"));
      }
    }
    if (e.data.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where(), " (", e.type, ") has empty data; send at least {} for JSON"));
    }
    if (absl::Status s = CheckEventSize(request.stream, e, limits); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where(), " (", e.type, ") ", s.message()));
    }
    switch (e.content_type) {
      case event::v1::CONTENT_TYPE_JSON:
        if (absl::Status s = ValidateJson(e.data); !s.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where(), " (", e.type, "): JSON data refused: ", s.message()));
        }
        break;
      case event::v1::CONTENT_TYPE_PROTOBUF:
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            where(), " (", e.type, ") has no known content type; use JSON or PROTOBUF"));
    }
    const std::string& custom = e.metadata.custom_json();
    if (!custom.empty()) {
      if (absl::Status s = ValidateJson(custom); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where(), ": custom metadata refused: ", s.message()));
      }
      if (custom[custom.find_first_not_of(" \t\r\n")] != '{') {
        return absl::InvalidArgumentError(absl::StrCat(
            where(), ": custom metadata must be one JSON object, like {\"ticket\":\"T-1\"}"));
      }
    }
    total_bytes += e.data.size() + custom.size() + e.type.size();
  }
  if (total_bytes > limits.max_append_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "append to ", request.stream, " carries ", total_bytes, " bytes; at most ",
        limits.max_append_bytes, " fit in one append: split it"));
  }
  return absl::OkStatus();
}

}  // namespace irm::log
