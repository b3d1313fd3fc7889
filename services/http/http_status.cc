#include "services/http/http_status.h"

#include <cmath>
#include <string>

#include "engine/common/error_details.h"

namespace irm::services::http {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

std::optional<int> RetryAfterSeconds(const absl::Status& status) {
  std::optional<absl::Duration> delay = common::GetRetryDelay(status);
  if (!delay.has_value()) return std::nullopt;
  const double seconds = std::ceil(absl::ToDoubleSeconds(*delay));
  return seconds < 1 ? 1 : static_cast<int>(seconds);
}

nlohmann::ordered_json ErrorBody(const absl::Status& status) {
  nlohmann::ordered_json error = {{"code", absl::StatusCodeToString(status.code())},
                                  {"status", HttpStatusOf(status.code())},
                                  {"message", std::string(status.message())}};
  if (std::optional<common::ErrorReason> reason = common::GetErrorReason(status)) {
    error["reason"] = reason->reason;
    nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
    for (const auto& [key, value] : reason->metadata) metadata[key] = value;
    error["metadata"] = std::move(metadata);
  }
  if (std::optional<common::FieldViolation> field = common::GetFieldViolation(status)) {
    error["field"] = field->field;
  }
  if (std::optional<int> seconds = RetryAfterSeconds(status)) {
    error["retry_after_seconds"] = *seconds;
  }
  return {{"error", std::move(error)}};
}

}  // namespace irm::services::http
