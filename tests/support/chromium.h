// Headless Chromium (Debian's `chromium` package) for the browser tests of irm's HTML pages.
#ifndef IRM_TESTS_SUPPORT_CHROMIUM_H_
#define IRM_TESTS_SUPPORT_CHROMIUM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace irm::tests {

inline constexpr char kChromium[] = "/usr/bin/chromium";

// Runs headless Chromium with `extra` flags (e.g. --dump-dom, --screenshot=F) on `url`, with
// `profile` as its user data folder and HOME; its stdout, or the failure (90 s at most).
absl::StatusOr<std::string> Chromium(const std::string& profile, std::vector<std::string> extra,
                                     const std::string& url);

// How often `needle` occurs in `text`.
int CountOf(const std::string& text, const std::string& needle);

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_CHROMIUM_H_
