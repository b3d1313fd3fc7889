// HtmlEscape: text made safe to place in an HTML page, as element content or inside a quoted
// attribute value. The one escaper of every page irm renders (the console and sign-in pages
// served by irmd, the reports `irm report ... --format html` writes).
// Pure function; thread-safe.
#ifndef IRM_ENGINE_COMMON_HTML_ESCAPE_H_
#define IRM_ENGINE_COMMON_HTML_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace irm::common {

// `text` with & < > " ' replaced by their character references; every other byte as it is.
std::string HtmlEscape(absl::string_view text);

}  // namespace irm::common

#endif  // IRM_ENGINE_COMMON_HTML_ESCAPE_H_
