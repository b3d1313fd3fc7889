// Internal to engine/codec: typed reads of fields from a parsed JSON object, with errors
// that name the field's dotted path, and the JSON form of EventMetadata.
//
// A JSON `null` counts as absent. Errors are InvalidArgument:
//   "field 'metadata.actor.name' is missing"
//   "field 'revision': expected an unsigned integer, got \"3\""
// Thread-safe; never throws.
#ifndef IRM_ENGINE_CODEC_JSON_FIELDS_H_
#define IRM_ENGINE_CODEC_JSON_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "irm/event/v1/record.pb.h"
#include "nlohmann/json.hpp"

namespace irm::codec::internal {

using Json = nlohmann::ordered_json;

// `prefix.key`, or `key` when prefix is empty.
std::string FieldPath(absl::string_view prefix, absl::string_view key);

// "field 'PATH' is missing" / "field 'PATH': expected WHAT, got VALUE".
absl::Status MissingField(absl::string_view path);
absl::Status WrongField(absl::string_view path, absl::string_view expected, const Json& got);

// The member `key` of `object` or nullptr if absent or null. `object` must be an object.
const Json* FindField(const Json& object, absl::string_view key);

// Reads object[key] into *out. When the field is absent: MissingField if `required`, else
// OK with *out untouched.
absl::Status ReadString(const Json& object, absl::string_view prefix, absl::string_view key,
                        bool required, std::string* out);
absl::Status ReadUint64(const Json& object, absl::string_view prefix, absl::string_view key,
                        bool required, uint64_t* out);
// A base64 string (standard alphabet, padding optional) decoded into *out.
absl::Status ReadBase64(const Json& object, absl::string_view prefix, absl::string_view key,
                        bool required, std::string* out);
// An RFC 3339 timestamp into microseconds since the Unix epoch.
absl::Status ReadTimestamp(const Json& object, absl::string_view prefix, absl::string_view key,
                           bool required, int64_t* out);

// The `metadata` object of the event JSON form (see event_json.h). `recorded_at` is
// written only when `with_recorded_at` and the time is set; the top-level metadata omits it
// because the event carries `recorded_at` itself.
Json MetadataToJson(const event::v1::EventMetadata& metadata, bool with_recorded_at);

// The inverse of MetadataToJson for the object at `path`. `recorded_at` is read only when
// `with_recorded_at`; unknown keys are ignored. `depth` bounds nested imported_from.
absl::Status MetadataFromJson(const Json& object, absl::string_view path, bool with_recorded_at,
                              int depth, event::v1::EventMetadata* out);

}  // namespace irm::codec::internal

#endif  // IRM_ENGINE_CODEC_JSON_FIELDS_H_
