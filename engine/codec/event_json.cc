#include "engine/codec/event_json.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/codec/json_fields.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"
#include "engine/log/event_log.h"
#include "engine/log/json_validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "irm/event/v1/deadline_events.pb.h"
#include "irm/event/v1/event_voided.pb.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::codec {
namespace {

using event::v1::ContentType;
using event::v1::EventRecord;
using internal::Json;
namespace pb = google::protobuf;

constexpr char kEventPackage[] = "irm.event.v1.";
constexpr int kMaxImportDepth = 32;

// The message irm.event.v1.<type> linked into this binary, or nullptr. The review workflow's
// events and irmd's own (voids, passed deadlines) are always linked, so every program that
// shows events shows them decoded.
const pb::Descriptor* FindEventMessage(absl::string_view type) {
  if (type.empty()) return nullptr;
  static const pb::FileDescriptor* const kLinked[] = {
      event::v1::ReviewScheduled::descriptor()->file(),
      event::v1::EventVoided::descriptor()->file(),
      event::v1::DeadlinePassed::descriptor()->file()};
  (void)kLinked;
  return pb::DescriptorPool::generated_pool()->FindMessageTypeByName(
      absl::StrCat(kEventPackage, type));
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor* descriptor) {
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(descriptor);
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<pb::Message>(prototype->New());
}

// Protobuf bytes of the message described by `descriptor` whose JSON mapping is `json`,
// serialized deterministically.
absl::StatusOr<std::string> ProtoBytesFromJson(const pb::Descriptor* descriptor,
                                               const std::string& json) {
  std::unique_ptr<pb::Message> message = NewMessage(descriptor);
  if (message == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no message factory for ", descriptor->full_name()));
  }
  auto status = pb::util::JsonStringToMessage(json, message.get(), pb::util::JsonParseOptions());
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'data': not the JSON form of ", descriptor->full_name(), ": ", status.ToString()));
  }
  std::string bytes;
  {
    pb::io::StringOutputStream stream(&bytes);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message->SerializeToCodedStream(&coded);
  }
  return bytes;
}

// The JSON mapping of protobuf `bytes` as compact text, or nullopt if they do not parse.
std::optional<std::string> ProtoBytesToJson(const pb::Descriptor* descriptor,
                                            const std::string& bytes) {
  std::unique_ptr<pb::Message> message = NewMessage(descriptor);
  if (message == nullptr || !message->ParseFromString(bytes)) return std::nullopt;
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!pb::util::MessageToJsonString(*message, &text, options).ok()) return std::nullopt;
  if (!internal::EmbeddableJson(text)) return std::nullopt;
  return text;
}

// `decoded` of event_json.h, or nullopt.
std::optional<std::string> Decoded(const EventRecord& record) {
  if (record.content_type() != event::v1::CONTENT_TYPE_PROTOBUF) return std::nullopt;
  const pb::Descriptor* descriptor = FindEventMessage(record.type());
  if (descriptor == nullptr) return std::nullopt;
  return ProtoBytesToJson(descriptor, record.data());
}

// Writes `data` or `data_base64` for the record's bytes, and `decoded`.
void AddData(const EventRecord& record, internal::ObjectWriter& json) {
  if (record.content_type() == event::v1::CONTENT_TYPE_JSON &&
      internal::EmbeddableJson(record.data())) {
    json.Raw("data", record.data());
    return;
  }
  json.String("data_base64", absl::Base64Escape(record.data()));
  if (std::optional<std::string> decoded = Decoded(record)) json.Raw("decoded", *decoded);
}

// Reads `content_type`, `data` / `data_base64` of `object` into `record`.
absl::Status ReadData(const internal::FieldObject& fields, EventRecord& record) {
  const Json& object = fields.json;
  std::string content_type = "json";
  IRM_RETURN_IF_ERROR(internal::ReadString(object, "", "content_type", false, &content_type));
  if (content_type == "json") {
    record.set_content_type(event::v1::CONTENT_TYPE_JSON);
  } else if (content_type == "protobuf") {
    record.set_content_type(event::v1::CONTENT_TYPE_PROTOBUF);
  } else if (content_type == "unspecified") {
    record.set_content_type(event::v1::CONTENT_TYPE_UNSPECIFIED);
  } else {
    return internal::WrongField("content_type", "\"json\", \"protobuf\" or \"unspecified\"",
                                *internal::FindField(object, "content_type"));
  }
  if (internal::FindField(object, "data_base64") != nullptr) {
    return internal::ReadBase64(object, "", "data_base64", true, record.mutable_data());
  }
  const absl::string_view* data = fields.Raw("data");
  if (data == nullptr) {
    return absl::InvalidArgumentError("field 'data' is missing (and no 'data_base64')");
  }
  switch (record.content_type()) {
    case event::v1::CONTENT_TYPE_JSON:
      record.set_data(std::string(*data));  // as written: the bytes the event holds
      return absl::OkStatus();
    case event::v1::CONTENT_TYPE_PROTOBUF: {  // an export of an earlier version
      const pb::Descriptor* descriptor = FindEventMessage(record.type());
      if (descriptor == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("field 'data': no protobuf message ", kEventPackage, record.type(),
                         " is known to this program; give the bytes as 'data_base64'"));
      }
      IRM_ASSIGN_OR_RETURN(*record.mutable_data(),
                           ProtoBytesFromJson(descriptor, std::string(*data)));
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(
          "field 'data_base64' is missing: content_type \"unspecified\" needs raw bytes");
  }
}

}  // namespace

std::string EventToJsonLine(const EventRecord& record, const EventJsonOptions& options) {
  std::string line;
  line.reserve(256 + record.data().size() * 4 / 3);
  internal::ObjectWriter json(&line);
  json.Number("position", record.position());
  json.String("stream", record.stream());
  json.Number("revision", record.revision());
  json.String("id", common::UuidBytesToString(record.id()));
  json.String("type", record.type());
  json.String("content_type", log::ContentTypeName(record.content_type()));
  json.String("recorded_at", FormatTimestampMicros(record.metadata().recorded_at_us()));
  if (options.redacted) json.True("redacted");
  AddData(record, json);
  std::string metadata;
  internal::AppendMetadataJson(record.metadata(), /*with_recorded_at=*/false, &metadata);
  json.Raw("metadata", metadata);
  json.Close();
  return line;
}

std::string DataText(const EventRecord& record) {
  if (record.content_type() == event::v1::CONTENT_TYPE_JSON &&
      log::ValidateJson(record.data()).ok()) {
    std::string text = record.data();
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; },
        ' ');
    return text;
  }
  if (std::optional<std::string> decoded = Decoded(record)) return *decoded;
  return absl::StrCat("base64:", absl::Base64Escape(record.data()));
}

std::string DumpCompact(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<EventRecord> ParseEventJson(absl::string_view line) {
  if (absl::Status valid = log::ValidateJson(line); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("line is not valid JSON: ", valid.message()));
  }
  absl::StatusOr<internal::FieldObject> fields =
      internal::ReadObject(line, "", {"data", "decoded", "metadata"});
  if (!fields.ok()) {
    return absl::InvalidArgumentError("line is not a JSON object: expected {\"position\":...}");
  }
  const Json& object = fields->json;
  EventRecord record;
  uint64_t number = 0;
  IRM_RETURN_IF_ERROR(internal::ReadUint64(object, "", "position", true, &number));
  record.set_position(number);
  if (const Json* redacted = internal::FindField(object, "redacted");
      redacted != nullptr && *redacted == true) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event at position ", number, " is marked \"redacted\":true: it is a view redacted for "
        "the reader who exported it, not the stored event; export with a secretariat or "
        "auditor token to get every event as stored"));
  }
  IRM_RETURN_IF_ERROR(internal::ReadString(object, "", "stream", true, record.mutable_stream()));
  if (record.stream().empty()) return internal::WrongField("stream", "a stream name", "");
  IRM_RETURN_IF_ERROR(internal::ReadUint64(object, "", "revision", true, &number));
  record.set_revision(number);
  std::string id;
  IRM_RETURN_IF_ERROR(internal::ReadString(object, "", "id", true, &id));
  absl::StatusOr<common::Uuid> uuid = common::Uuid::Parse(id);
  if (!uuid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("field 'id': ", uuid.status().message()));
  }
  record.set_id(uuid->Bytes());
  IRM_RETURN_IF_ERROR(internal::ReadString(object, "", "type", true, record.mutable_type()));
  if (record.type().empty()) return internal::WrongField("type", "an event type", "");
  IRM_RETURN_IF_ERROR(ReadData(*fields, record));
  if (const absl::string_view* metadata = fields->RawObject("metadata")) {
    IRM_RETURN_IF_ERROR(internal::MetadataFromJson(*metadata, "metadata", false, kMaxImportDepth,
                                                   record.mutable_metadata()));
  }
  int64_t recorded_at = 0;
  IRM_RETURN_IF_ERROR(internal::ReadTimestamp(object, "", "recorded_at", false, &recorded_at));
  record.mutable_metadata()->set_recorded_at_us(recorded_at);
  return record;
}

std::string FormatTimestampMicros(int64_t unix_micros) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E6SZ", absl::FromUnixMicros(unix_micros),
                          absl::UTCTimeZone());
}

absl::StatusOr<int64_t> ParseTimestampMicros(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid time '", text, "': expected RFC 3339 like 2026-11-23T10:00:00Z (", error, ")"));
  }
  return absl::ToUnixMicros(time);
}

}  // namespace irm::codec
