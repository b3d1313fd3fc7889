#include "engine/codec/json_fields.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "engine/log/json_validation.h"

namespace irm::codec::internal {
namespace {

using event::v1::EventMetadata;

constexpr size_t kMaxShownValue = 60;

// A short rendering of a wrong value for error messages.
std::string Shown(const Json& value) {
  std::string text = DumpCompact(value);
  if (text.size() > kMaxShownValue) text = absl::StrCat(text.substr(0, kMaxShownValue), "...");
  return text;
}

// The JSON text of a string: escaped as nlohmann escapes, invalid UTF-8 replaced.
std::string Quoted(absl::string_view value) { return DumpCompact(Json(std::string(value))); }

}  // namespace

void ObjectWriter::Key(absl::string_view key) {
  if (!first_) out_->push_back(',');
  first_ = false;
  absl::StrAppend(out_, "\"", key, "\":");
}

void ObjectWriter::String(absl::string_view key, absl::string_view value) {
  Key(key);
  out_->append(Quoted(value));
}

void ObjectWriter::Number(absl::string_view key, uint64_t value) {
  Key(key);
  absl::StrAppend(out_, value);
}

void ObjectWriter::True(absl::string_view key) {
  Key(key);
  out_->append("true");
}

void ObjectWriter::Raw(absl::string_view key, absl::string_view json) {
  Key(key);
  out_->append(json.data(), json.size());
}

bool EmbeddableJson(absl::string_view text) {
  return !log::HasLineBreak(text) && log::ValidateJson(text).ok();
}

const absl::string_view* FieldObject::Raw(absl::string_view key) const {
  for (const auto& [name, text] : raw) {
    if (name == key) return &text;
  }
  return nullptr;
}

const absl::string_view* FieldObject::RawObject(absl::string_view key) const {
  const absl::string_view* text = Raw(key);
  return text == nullptr || *text == "null" ? nullptr : text;
}

absl::StatusOr<FieldObject> ReadObject(absl::string_view text, absl::string_view path,
                                       std::initializer_list<absl::string_view> raw_keys) {
  absl::StatusOr<std::vector<log::JsonMember>> members = log::JsonObjectMembers(text);
  if (!members.ok()) {
    Json got = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    return WrongField(path, "an object", got.is_discarded() ? Json(std::string(text)) : got);
  }
  FieldObject object;
  for (log::JsonMember& member : *members) {
    if (std::find(raw_keys.begin(), raw_keys.end(), member.key) != raw_keys.end()) {
      object.raw.emplace_back(std::move(member.key), member.value);
      continue;
    }
    // A number nlohmann cannot hold (1e400) is kept as its text, which no reader accepts.
    Json value = Json::parse(member.value.begin(), member.value.end(), nullptr,
                             /*allow_exceptions=*/false);
    object.json[member.key] =
        value.is_discarded() ? Json(std::string(member.value)) : std::move(value);
  }
  return object;
}

std::string FieldPath(absl::string_view prefix, absl::string_view key) {
  return prefix.empty() ? std::string(key) : absl::StrCat(prefix, ".", key);
}

absl::Status MissingField(absl::string_view path) {
  return absl::InvalidArgumentError(absl::StrCat("field '", path, "' is missing"));
}

absl::Status WrongField(absl::string_view path, absl::string_view expected, const Json& got) {
  return absl::InvalidArgumentError(
      absl::StrCat("field '", path, "': expected ", expected, ", got ", Shown(got)));
}

const Json* FindField(const Json& object, absl::string_view key) {
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::Status ReadString(const Json& object, absl::string_view prefix, absl::string_view key,
                        bool required, std::string* out) {
  const Json* field = FindField(object, key);
  if (field == nullptr) {
    return required ? MissingField(FieldPath(prefix, key)) : absl::OkStatus();
  }
  if (!field->is_string()) return WrongField(FieldPath(prefix, key), "a string", *field);
  *out = field->get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadUint64(const Json& object, absl::string_view prefix, absl::string_view key,
                        bool required, uint64_t* out) {
  const Json* field = FindField(object, key);
  if (field == nullptr) {
    return required ? MissingField(FieldPath(prefix, key)) : absl::OkStatus();
  }
  if (!field->is_number_unsigned()) {
    return WrongField(FieldPath(prefix, key), "an unsigned integer", *field);
  }
  *out = field->get<uint64_t>();
  return absl::OkStatus();
}

absl::Status ReadBase64(const Json& object, absl::string_view prefix, absl::string_view key,
                        bool required, std::string* out) {
  std::string text;
  IRM_RETURN_IF_ERROR(ReadString(object, prefix, key, required, &text));
  if (FindField(object, key) == nullptr) return absl::OkStatus();
  if (!absl::Base64Unescape(text, out)) {
    return WrongField(FieldPath(prefix, key), "base64 text", *FindField(object, key));
  }
  return absl::OkStatus();
}

absl::Status ReadTimestamp(const Json& object, absl::string_view prefix, absl::string_view key,
                           bool required, int64_t* out) {
  std::string text;
  IRM_RETURN_IF_ERROR(ReadString(object, prefix, key, required, &text));
  if (FindField(object, key) == nullptr) return absl::OkStatus();
  absl::StatusOr<int64_t> micros = ParseTimestampMicros(text);
  if (!micros.ok()) {
    return WrongField(FieldPath(prefix, key),
                      "an RFC 3339 time like \"2026-11-23T10:00:00.123456Z\"",
                      *FindField(object, key));
  }
  *out = *micros;
  return absl::OkStatus();
}

void AppendMetadataJson(const EventMetadata& metadata, bool with_recorded_at,
                        std::string* out) {
  ObjectWriter json(out);
  if (with_recorded_at && metadata.recorded_at_us() != 0) {
    json.String("recorded_at", FormatTimestampMicros(metadata.recorded_at_us()));
  }
  const auto& actor = metadata.actor();
  if (!actor.name().empty() || !actor.role().empty() || !actor.state().empty()) {
    std::string text;
    ObjectWriter principal(&text);
    if (!actor.name().empty()) principal.String("name", actor.name());
    if (!actor.role().empty()) principal.String("role", actor.role());
    if (!actor.state().empty()) principal.String("state", actor.state());
    principal.Close();
    json.Raw("actor", text);
  }
  if (!metadata.on_behalf_of().empty()) json.String("on_behalf_of", metadata.on_behalf_of());
  if (!metadata.correlation_id().empty()) json.String("correlation_id", metadata.correlation_id());
  if (!metadata.causation_id().empty()) json.String("causation_id", metadata.causation_id());
  if (!metadata.request_id().empty()) json.String("request_id", metadata.request_id());
  if (!metadata.custom_json().empty()) {
    if (EmbeddableJson(metadata.custom_json())) {
      json.Raw("custom", metadata.custom_json());
    } else {
      json.String("custom_base64", absl::Base64Escape(metadata.custom_json()));
    }
  }
  if (metadata.has_imported_from()) {
    std::string origin;
    ObjectWriter writer(&origin);
    writer.Number("position", metadata.imported_from().position());
    std::string nested;
    AppendMetadataJson(metadata.imported_from().metadata(), true, &nested);
    writer.Raw("metadata", nested);
    writer.Close();
    json.Raw("imported_from", origin);
  }
  json.Close();
}

absl::Status MetadataFromJson(absl::string_view text, absl::string_view path,
                              bool with_recorded_at, int depth, EventMetadata* out) {
  if (depth <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("field '", path, "': imported_from is nested too deeply"));
  }
  IRM_ASSIGN_OR_RETURN(FieldObject fields, ReadObject(text, path, {"custom", "imported_from"}));
  const Json& object = fields.json;
  if (with_recorded_at) {
    int64_t micros = 0;
    IRM_RETURN_IF_ERROR(ReadTimestamp(object, path, "recorded_at", false, &micros));
    out->set_recorded_at_us(micros);
  }
  if (const Json* actor = FindField(object, "actor")) {
    std::string actor_path = FieldPath(path, "actor");
    if (!actor->is_object()) return WrongField(actor_path, "an object", *actor);
    auto* principal = out->mutable_actor();
    IRM_RETURN_IF_ERROR(ReadString(*actor, actor_path, "name", false, principal->mutable_name()));
    IRM_RETURN_IF_ERROR(ReadString(*actor, actor_path, "role", false, principal->mutable_role()));
    IRM_RETURN_IF_ERROR(ReadString(*actor, actor_path, "state", false, principal->mutable_state()));
  }
  IRM_RETURN_IF_ERROR(ReadString(object, path, "on_behalf_of", false, out->mutable_on_behalf_of()));
  IRM_RETURN_IF_ERROR(
      ReadString(object, path, "correlation_id", false, out->mutable_correlation_id()));
  IRM_RETURN_IF_ERROR(ReadString(object, path, "causation_id", false, out->mutable_causation_id()));
  IRM_RETURN_IF_ERROR(ReadString(object, path, "request_id", false, out->mutable_request_id()));
  if (const absl::string_view* custom = fields.Raw("custom")) {
    out->set_custom_json(std::string(*custom));  // as written: the bytes the event holds
  } else {
    IRM_RETURN_IF_ERROR(
        ReadBase64(object, path, "custom_base64", false, out->mutable_custom_json()));
  }
  if (const absl::string_view* origin_text = fields.RawObject("imported_from")) {
    std::string origin_path = FieldPath(path, "imported_from");
    IRM_ASSIGN_OR_RETURN(FieldObject origin, ReadObject(*origin_text, origin_path, {"metadata"}));
    auto* imported = out->mutable_imported_from();
    uint64_t position = 0;
    IRM_RETURN_IF_ERROR(ReadUint64(origin.json, origin_path, "position", true, &position));
    imported->set_position(position);
    if (const absl::string_view* nested = origin.RawObject("metadata")) {
      IRM_RETURN_IF_ERROR(MetadataFromJson(*nested, FieldPath(origin_path, "metadata"), true,
                                           depth - 1, imported->mutable_metadata()));
    }
  }
  return absl::OkStatus();
}

}  // namespace irm::codec::internal
