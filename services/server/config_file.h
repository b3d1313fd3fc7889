// The irmd configuration file: `key = value` lines whose keys are irmd's flag names without
// the leading dashes (`listen = 127.0.0.1:50051`, `max-event-bytes = 1048576`).
//
// Format: blank lines and lines whose first non-blank character is `#` are ignored;
// whitespace around key and value is dropped; a value may be wrapped in double quotes (to
// keep leading or trailing spaces, or a `#`). There are no sections, escapes or includes. A
// key may appear once. Which keys exist is the caller's business (ServerConfig turns every
// pair into a flag, and flags given on the command line win).
//
// Pure functions; thread-safe.
#ifndef IRM_SERVICES_SERVER_CONFIG_FILE_H_
#define IRM_SERVICES_SERVER_CONFIG_FILE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace irm::services {

struct ConfigEntry {
  std::string key;
  std::string value;
  int line = 0;  // 1-based line number, for error messages
};

// Parses the text of a configuration file. `source` (the file name) prefixes errors:
// InvalidArgument "irmd.conf:7: expected `key = value`, got 'listen'".
absl::StatusOr<std::vector<ConfigEntry>> ParseConfigText(const std::string& text,
                                                         const std::string& source);

// Reads and parses `path`. NotFound / PermissionDenied if it cannot be read.
absl::StatusOr<std::vector<ConfigEntry>> ReadConfigFile(const std::string& path);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_CONFIG_FILE_H_
