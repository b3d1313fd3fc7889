// Quote: user input made safe to show inside an error or log message.
//
// Every message that repeats a value from a request (a stream name, a date, a path) shows it
// through Quote, so a NUL, a line break, a terminal escape or a byte that is not UTF-8 never
// reaches a client's screen or irmd's log raw, and a hostile 100 KB value stays short.
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_COMMON_QUOTE_H_
#define IRM_ENGINE_COMMON_QUOTE_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace irm::common {

// `text` between single quotes, escaped: \\ and \' for the backslash and the quote; \n \r \t;
// \xHH for other ASCII control bytes, DEL and bytes that are not valid UTF-8; \u{HHHH} for
// invisible or reordering code points (C1 controls, line and paragraph separators, bidi
// controls, zero-width characters, BOM). Other UTF-8 text is kept as it is ('Côte d’Ivoire').
// At most `max_chars` characters of `text` are shown; a longer one ends
// "...' (N bytes)".
std::string Quote(absl::string_view text, size_t max_chars = 60);

// The same escaping without the quotes and without a length cut, for a value that is shown
// whole (e.g. a character that is not allowed: "\u{202e}").
std::string Escape(absl::string_view text);

// The length in bytes of the UTF-8 character at the start of `text`, or 0 if `text` does not
// start with a valid one (a stray continuation byte, an overlong form, a surrogate).
size_t Utf8CharLength(absl::string_view text);

}  // namespace irm::common

#endif  // IRM_ENGINE_COMMON_QUOTE_H_
