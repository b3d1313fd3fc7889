#include "engine/codec/json_fields.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"

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

// Parses JSON text that is expected to hold one JSON value; nullopt-like discarded on error.
Json ParseOrDiscard(absl::string_view text) {
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

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

Json MetadataToJson(const EventMetadata& metadata, bool with_recorded_at) {
  Json json = Json::object();
  if (with_recorded_at && metadata.recorded_at_us() != 0) {
    json["recorded_at"] = FormatTimestampMicros(metadata.recorded_at_us());
  }
  Json actor = Json::object();
  if (!metadata.actor().name().empty()) actor["name"] = metadata.actor().name();
  if (!metadata.actor().role().empty()) actor["role"] = metadata.actor().role();
  if (!metadata.actor().state().empty()) actor["state"] = metadata.actor().state();
  if (!actor.empty()) json["actor"] = std::move(actor);
  if (!metadata.on_behalf_of().empty()) json["on_behalf_of"] = metadata.on_behalf_of();
  if (!metadata.correlation_id().empty()) json["correlation_id"] = metadata.correlation_id();
  if (!metadata.causation_id().empty()) json["causation_id"] = metadata.causation_id();
  if (!metadata.request_id().empty()) json["request_id"] = metadata.request_id();
  if (!metadata.custom_json().empty()) {
    Json custom = ParseOrDiscard(metadata.custom_json());
    if (custom.is_discarded()) {
      json["custom_base64"] = absl::Base64Escape(metadata.custom_json());
    } else {
      json["custom"] = std::move(custom);
    }
  }
  if (metadata.has_imported_from()) {
    Json origin = Json::object();
    origin["position"] = metadata.imported_from().position();
    origin["metadata"] = MetadataToJson(metadata.imported_from().metadata(), true);
    json["imported_from"] = std::move(origin);
  }
  return json;
}

absl::Status MetadataFromJson(const Json& object, absl::string_view path, bool with_recorded_at,
                              int depth, EventMetadata* out) {
  if (!object.is_object()) return WrongField(path, "an object", object);
  if (depth <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("field '", path, "': imported_from is nested too deeply"));
  }
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
  if (const Json* custom = FindField(object, "custom")) {
    out->set_custom_json(DumpCompact(*custom));
  } else {
    IRM_RETURN_IF_ERROR(
        ReadBase64(object, path, "custom_base64", false, out->mutable_custom_json()));
  }
  if (const Json* origin = FindField(object, "imported_from")) {
    std::string origin_path = FieldPath(path, "imported_from");
    if (!origin->is_object()) return WrongField(origin_path, "an object", *origin);
    auto* imported = out->mutable_imported_from();
    uint64_t position = 0;
    IRM_RETURN_IF_ERROR(ReadUint64(*origin, origin_path, "position", true, &position));
    imported->set_position(position);
    if (const Json* nested = FindField(*origin, "metadata")) {
      IRM_RETURN_IF_ERROR(MetadataFromJson(*nested, FieldPath(origin_path, "metadata"), true,
                                           depth - 1, imported->mutable_metadata()));
    }
  }
  return absl::OkStatus();
}

}  // namespace irm::codec::internal
