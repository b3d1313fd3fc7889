#include "services/server/call_log.h"

namespace irm::services {

LogLevel CallLog::LevelFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return LogLevel::kDebug;
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DATA_LOSS:
      return LogLevel::kError;
    default:
      return LogLevel::kInfo;
  }
}

void CallLog::OnCallFinished(const FinishedCall& call) {
  const LogLevel level = LevelFor(call.code);
  if (!log_->Enabled(level)) return;
  nlohmann::json fields = nlohmann::json::object();
  fields["request_id"] = call.request_id;
  fields["method"] = call.method;
  fields["code"] = StatusCodeName(call.code);
  fields["duration_ms"] = absl::ToDoubleMilliseconds(call.duration);
  fields["peer"] = call.peer;
  if (!call.message.empty()) fields["error"] = call.message;
  log_->Write(level, "call", fields);
}

}  // namespace irm::services
