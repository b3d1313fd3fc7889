// Internal to engine/codec: the JSON text of EventMetadata written member by member (so
// that custom metadata is embedded as sent), and typed reads of fields from a JSON object
// whose chosen members are kept as their exact text, with errors that name the field's
// dotted path.
//
// A JSON `null` counts as absent. Errors are InvalidArgument:
//   "field 'metadata.actor.name' is missing"
//   "field 'revision': expected an unsigned integer, got \"3\""
// Thread-safe; never throws.
#ifndef IRM_ENGINE_CODEC_JSON_FIELDS_H_
#define IRM_ENGINE_CODEC_JSON_FIELDS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "irm/event/v1/record.pb.h"
#include "nlohmann/json.hpp"

namespace irm::codec::internal {

using Json = nlohmann::ordered_json;

// Writes one JSON object into a string, member by member in the order called. Keys are
// written as given (plain ASCII, from this program); string values are escaped, invalid
// UTF-8 replaced by U+FFFD.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string* out) : out_(out) { out_->push_back('{'); }
  void String(absl::string_view key, absl::string_view value);
  void Number(absl::string_view key, uint64_t value);
  void True(absl::string_view key);
  // `json`, which the caller has checked to be one JSON value without raw line breaks (see
  // EmbeddableJson, or text of another ObjectWriter), as is.
  void Raw(absl::string_view key, absl::string_view json);
  // Closes the object; call once, last.
  void Close() { out_->push_back('}'); }

 private:
  void Key(absl::string_view key);
  std::string* const out_;
  bool first_ = true;
};

// Whether `text` can be embedded as a JSON value verbatim in a JSON Lines record: it is
// JSON that ValidateJson accepts and it holds no raw line break.
bool EmbeddableJson(absl::string_view text);

// A JSON object read for its fields: the members in `json`, parsed, except those named when
// it was read, which are kept in `raw` as their exact text.
struct FieldObject {
  Json json = Json::object();
  std::vector<std::pair<std::string, absl::string_view>> raw;

  // The exact text of the raw member `key` ("null" included), or nullptr if absent.
  const absl::string_view* Raw(absl::string_view key) const;
  // The same, but nullptr also for a JSON null (an optional object left out).
  const absl::string_view* RawObject(absl::string_view key) const;
};

// Reads the object whose JSON text is `text` (already accepted by ValidateJson; the views in
// `raw` point into it). WrongField(path, "an object") if it is another value.
absl::StatusOr<FieldObject> ReadObject(absl::string_view text, absl::string_view path,
                                       std::initializer_list<absl::string_view> raw_keys);

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

// Appends the `metadata` object of the event JSON form (see event_json.h) to *out.
// `recorded_at` is written only when `with_recorded_at` and the time is set; the top-level
// metadata omits it because the event carries `recorded_at` itself. Custom metadata is
// `custom`, as stored, if EmbeddableJson, else `custom_base64`.
void AppendMetadataJson(const event::v1::EventMetadata& metadata, bool with_recorded_at,
                        std::string* out);

// The inverse of AppendMetadataJson for the object whose text is `text`, at `path`:
// `custom` is taken as its exact text. `recorded_at` is read only when `with_recorded_at`;
// unknown keys are ignored. `depth` bounds nested imported_from.
absl::Status MetadataFromJson(absl::string_view text, absl::string_view path,
                              bool with_recorded_at, int depth, event::v1::EventMetadata* out);

}  // namespace irm::codec::internal

#endif  // IRM_ENGINE_CODEC_JSON_FIELDS_H_
