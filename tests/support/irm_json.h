// RunIrmJson: the real `irm` client in its machine mode, for end-to-end tests.
//
// Thread-safe: each call spawns its own process.
#ifndef IRM_TESTS_SUPPORT_IRM_JSON_H_
#define IRM_TESTS_SUPPORT_IRM_JSON_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace irm::tests {

// Runs `irm --server SERVER --json ARGS...` and expects success: a gtest failure (not fatal)
// if it exits non-zero or prints a line that is not one JSON object. Returns one parsed
// object per stdout line (a line that does not parse becomes a discarded value).
std::vector<nlohmann::json> RunIrmJson(const std::string& server,
                                       const std::vector<std::string>& args);

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_IRM_JSON_H_
