#include "services/server/json_log.h"

#include "absl/strings/str_cat.h"

namespace irm::services {

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  return absl::InvalidArgumentError(
      absl::StrCat("log level '", name, "' is not one of debug, info, warning, error"));
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "error";
}

std::string JsonLog::Format(absl::Time time, LogLevel level, absl::string_view message,
                            const nlohmann::json& fields) {
  nlohmann::ordered_json record = nlohmann::ordered_json::object();
  record["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone());
  record["level"] = LogLevelName(level);
  record["message"] = std::string(message);
  record["fields"] = fields.is_null() ? nlohmann::json::object() : fields;
  // Invalid UTF-8 (a peer's metadata, say) is replaced rather than thrown on.
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void JsonLog::Write(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  std::string line = Format(absl::Now(), level, message, fields);
  line.push_back('\n');
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace irm::services
