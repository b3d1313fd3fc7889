// The compact form of a JSON text: the bytes the log stores for a JSON event's data.
//
// The compact form is defined by nlohmann-json, the parser irm has always used:
// nlohmann::ordered_json::parse(text).dump() -- no insignificant white space, member order
// kept, strings re-escaped the nlohmann way, numbers re-printed, a duplicate key keeping its
// first position and its last value. CompactJson gives exactly those bytes, fast:
//   - a single pass (CompactJsonFast) validates the text and writes the compact form
//     directly, for the common shape of event data: objects, arrays, strings without
//     backslash escapes (strict UTF-8 copied as is), integers of at most 18 digits (not
//     -0), true/false/null, nesting up to kMaxCompactDepth, no duplicate keys in an object.
//     On anything else it gives up without judging the text;
//   - whatever it gives up on goes through the full parser (CompactJsonFull), which judges
//     validity and prints the compact form.
// compact_json_test.cc holds the pair to the full parser on unit cases, on 20,000 random
// documents and mutations, and on the fuzz corpora.
//
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_LOG_COMPACT_JSON_H_
#define IRM_ENGINE_LOG_COMPACT_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace irm::log {

// Objects and arrays nested deeper than this go to the full parser.
inline constexpr int kMaxCompactDepth = 256;

// Event data nested deeper than this is refused before the full parser sees it: nlohmann's
// printer recurses once per level and exhausts the stack near 100,000 levels.
inline constexpr int kMaxJsonDepth = 512;

// The deepest nesting of objects and arrays in `text`, not counting brackets inside strings.
// A quick scan for refusing deep text before parsing; says nothing about well-formedness.
int JsonNestingDepth(absl::string_view text);

// False iff `text` is not exactly one well-formed JSON value (surrounding space, tab, CR and
// LF allowed), as nlohmann-json judges it. Otherwise true, and *out is set to
// nlohmann::ordered_json::parse(text).dump(). On false, *out is unspecified.
bool CompactJson(absl::string_view text, std::string* out);

// The single pass alone. True: `text` is well-formed JSON and *out is its compact form.
// False: not handled (invalid, or a construct listed above whose compact form may differ
// from the text minus white space); *out is unspecified and nothing is said about `text`.
bool CompactJsonFast(absl::string_view text, std::string* out);

// The full parser alone: the definition CompactJson must match. Same contract as CompactJson.
bool CompactJsonFull(absl::string_view text, std::string* out);

}  // namespace irm::log

#endif  // IRM_ENGINE_LOG_COMPACT_JSON_H_
