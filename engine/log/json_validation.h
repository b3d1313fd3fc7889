// JSON validation for event data and custom metadata: the log stores them exactly as sent,
// so a JSON text is checked, never rewritten.
//
// ValidateJson accepts exactly the JSON texts of RFC 8259 (one value; space, tab, CR and LF
// around and between tokens) that are also strict UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF; a \u escape of a surrogate must be one half of a pair),
// and refuses three more things a store of record should not keep:
//   - a duplicate key in one object, keys compared after unescaping ({"a":1,"\u0061":2}):
//     readers disagree on which value wins;
//   - a UTF-8 byte order mark before the value (RFC 8259 section 8.1: must not be added);
//   - objects and arrays nested more than kMaxJsonDepth levels.
// Numbers of any length and precision (12345678901234567890123, 0.30000000000000000001,
// 1e400, -0), every escape and every character are accepted: the text is never interpreted.
//
// One left-to-right pass over the bytes, without building a tree; the keys of the objects
// open on the path are held as views into the text (decoded copies only for keys with
// escapes) and checked for duplicates when their object closes.
// json_validation_differential_test.cc holds it to nlohmann-json's accept() plus the three
// refusals on 20,000 random documents and mutations and on the fuzz corpora.
//
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_LOG_JSON_VALIDATION_H_
#define IRM_ENGINE_LOG_JSON_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace irm::log {

// Objects and arrays nested deeper than this are refused.
inline constexpr int kMaxJsonDepth = 512;

// OK if `text` is one JSON value as above. Otherwise InvalidArgument whose message says what
// is wrong and where, without a prefix, e.g.
//   not well-formed JSON: expected ':' after an object key at byte offset 5
//   duplicate key "a" in the object at /items/2 (byte offset 31); keys are compared after
//     unescaping, and each may appear once per object
//   nested more than 512 levels deep at byte offset 512; at most 512 levels are allowed
//   starts with a UTF-8 byte order mark (EF BB BF); send the JSON text without it
// Paths are JSON Pointers (RFC 6901) to the value, "" being the top-level value. Byte
// offsets count from 0. Nothing of `text` is echoed but decoded keys, escaped and truncated.
absl::Status ValidateJson(absl::string_view text);

// One member of a JSON object: its key, unescaped, and the exact text of its value.
struct JsonMember {
  std::string key;
  absl::string_view value;  // into the text given to JsonObjectMembers
};

// The members of the object `text`, in order, each value as the exact bytes between the
// colon and the next comma or closing brace minus surrounding white space. InvalidArgument
// as ValidateJson, or if the value is not an object.
absl::StatusOr<std::vector<JsonMember>> JsonObjectMembers(absl::string_view text);

// True if `text` holds a raw line feed or carriage return. In JSON these can only be white
// space between tokens, which a JSON Lines record cannot carry verbatim.
bool HasLineBreak(absl::string_view text);

}  // namespace irm::log

#endif  // IRM_ENGINE_LOG_JSON_VALIDATION_H_
