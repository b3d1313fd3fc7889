#include "engine/codec/event_json.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/codec/json_fields.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
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
// events are always linked, so every program that shows events shows them decoded.
const pb::Descriptor* FindEventMessage(absl::string_view type) {
  if (type.empty()) return nullptr;
  static const pb::FileDescriptor* const kReviewEvents =
      event::v1::ReviewScheduled::descriptor()->file();
  (void)kReviewEvents;
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

// The JSON mapping of protobuf `bytes`, or nullopt if they do not parse. *lossless says
// whether mapping back yields exactly `bytes`.
std::optional<Json> ProtoBytesToJson(const pb::Descriptor* descriptor, const std::string& bytes,
                                     bool* lossless) {
  std::unique_ptr<pb::Message> message = NewMessage(descriptor);
  if (message == nullptr || !message->ParseFromString(bytes)) return std::nullopt;
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!pb::util::MessageToJsonString(*message, &text, options).ok()) return std::nullopt;
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  absl::StatusOr<std::string> back = ProtoBytesFromJson(descriptor, text);
  *lossless = back.ok() && *back == bytes;
  return value;
}

const char* ContentTypeName(ContentType type) {
  switch (type) {
    case event::v1::CONTENT_TYPE_JSON:
      return "json";
    case event::v1::CONTENT_TYPE_PROTOBUF:
      return "protobuf";
    default:
      return "unspecified";
  }
}

// Adds `data` and/or `data_base64` for the record's bytes to `json`.
void AddData(const EventRecord& record, Json& json) {
  std::optional<Json> data;
  bool lossless = false;
  if (record.content_type() == event::v1::CONTENT_TYPE_JSON) {
    Json value = Json::parse(record.data(), nullptr, /*allow_exceptions=*/false);
    if (!value.is_discarded()) data = std::move(value);
    lossless = true;  // JSON data is compared as JSON, not as bytes.
  } else if (record.content_type() == event::v1::CONTENT_TYPE_PROTOBUF) {
    if (const pb::Descriptor* descriptor = FindEventMessage(record.type())) {
      data = ProtoBytesToJson(descriptor, record.data(), &lossless);
    }
  }
  if (data.has_value()) json["data"] = std::move(*data);
  if (!data.has_value() || !lossless) json["data_base64"] = absl::Base64Escape(record.data());
}

// Reads `content_type`, `data` / `data_base64` of `object` into `record`.
absl::Status ReadData(const Json& object, EventRecord& record) {
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
  const Json* data = internal::FindField(object, "data");
  if (data == nullptr) {
    return absl::InvalidArgumentError("field 'data' is missing (and no 'data_base64')");
  }
  switch (record.content_type()) {
    case event::v1::CONTENT_TYPE_JSON:
      record.set_data(DumpCompact(*data));
      return absl::OkStatus();
    case event::v1::CONTENT_TYPE_PROTOBUF: {
      const pb::Descriptor* descriptor = FindEventMessage(record.type());
      if (descriptor == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("field 'data': no protobuf message ", kEventPackage, record.type(),
                         " is known to this program; give the bytes as 'data_base64'"));
      }
      IRM_ASSIGN_OR_RETURN(*record.mutable_data(),
                           ProtoBytesFromJson(descriptor, DumpCompact(*data)));
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(
          "field 'data_base64' is missing: content_type \"unspecified\" needs raw bytes");
  }
}

}  // namespace

Json EventToJson(const EventRecord& record) {
  Json json = Json::object();
  json["position"] = record.position();
  json["stream"] = record.stream();
  json["revision"] = record.revision();
  json["id"] = common::UuidBytesToString(record.id());
  json["type"] = record.type();
  json["content_type"] = ContentTypeName(record.content_type());
  json["recorded_at"] = FormatTimestampMicros(record.metadata().recorded_at_us());
  AddData(record, json);
  json["metadata"] = internal::MetadataToJson(record.metadata(), /*with_recorded_at=*/false);
  return json;
}

std::string EventToJsonLine(const EventRecord& record) { return DumpCompact(EventToJson(record)); }

std::string DumpCompact(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<EventRecord> ParseEventJson(absl::string_view line) {
  Json object;
  try {
    object = Json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::exception& e) {
    absl::string_view what = e.what();
    size_t bracket = what.find("] ");
    if (absl::StartsWith(what, "[") && bracket != absl::string_view::npos) {
      what.remove_prefix(bracket + 2);
    }
    return absl::InvalidArgumentError(absl::StrCat("line is not JSON: ", what));
  }
  if (!object.is_object()) {
    return absl::InvalidArgumentError("line is not a JSON object: expected {\"position\":...}");
  }
  EventRecord record;
  uint64_t number = 0;
  IRM_RETURN_IF_ERROR(internal::ReadUint64(object, "", "position", true, &number));
  record.set_position(number);
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
  IRM_RETURN_IF_ERROR(ReadData(object, record));
  if (const Json* metadata = internal::FindField(object, "metadata")) {
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
