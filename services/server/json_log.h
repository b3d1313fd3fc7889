// JsonLog: irmd's structured log. One JSON object per line:
//   {"time":"2026-11-30T03:05:00.123456Z","level":"info","message":"call",
//    "fields":{"method":"/irm.api.v1.LogService/Append","code":"OK",...}}
// `time` is UTC with microseconds; `level` is debug, info, warning or error; `fields` is
// always an object (empty when there are none). Records below the minimum level are dropped.
//
// Thread-safe: each record is written with one fwrite and flushed, under a mutex, so lines
// from concurrent calls never interleave.
#ifndef IRM_SERVICES_SERVER_JSON_LOG_H_
#define IRM_SERVICES_SERVER_JSON_LOG_H_

#include <cstdio>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace irm::services {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning", "error" -> level; InvalidArgument names the known levels.
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);
const char* LogLevelName(LogLevel level);

class JsonLog {
 public:
  // Writes to `out` (not owned; stderr in irmd), keeping records at `min_level` and above.
  JsonLog(std::FILE* out, LogLevel min_level) : out_(out), min_level_(min_level) {}

  bool Enabled(LogLevel level) const { return level >= min_level_; }

  // Writes one record if Enabled(level). `fields` must be a JSON object (or null for none).
  void Write(LogLevel level, absl::string_view message,
             const nlohmann::json& fields = nlohmann::json::object());

  // The line Write would print, without the newline; for tests.
  static std::string Format(absl::Time time, LogLevel level, absl::string_view message,
                            const nlohmann::json& fields);

 private:
  std::FILE* const out_;
  const LogLevel min_level_;
  absl::Mutex mu_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_JSON_LOG_H_
