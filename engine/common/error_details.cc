#include "engine/common/error_details.h"

#include "absl/strings/cord.h"
#include "absl/types/optional.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace irm::common {
namespace {

// Payload type URLs: private to this file (services read them through the getters).
constexpr char kReasonUrl[] = "irm/error-reason";
constexpr char kFieldUrl[] = "irm/error-field";
constexpr char kRetryUrl[] = "irm/error-retry-ms";

// A payload is a list of strings, each written as "<length>:<bytes>".
std::string Encode(const std::vector<absl::string_view>& parts) {
  std::string out;
  for (absl::string_view part : parts) absl::StrAppend(&out, part.size(), ":", part);
  return out;
}

std::optional<std::vector<std::string>> Decode(const absl::Cord& payload) {
  const std::string text(payload);
  absl::string_view rest = text;
  std::vector<std::string> parts;
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    size_t length = 0;
    if (colon == absl::string_view::npos || !absl::SimpleAtoi(rest.substr(0, colon), &length) ||
        length > rest.size() - colon - 1) {
      return std::nullopt;
    }
    parts.emplace_back(rest.substr(colon + 1, length));
    rest.remove_prefix(colon + 1 + length);
  }
  return parts;
}

}  // namespace

absl::Status WithReason(absl::Status status, absl::string_view reason, ErrorMetadata metadata) {
  if (status.ok()) return status;
  std::vector<absl::string_view> parts = {reason};
  for (const auto& [key, value] : metadata) {
    parts.push_back(key);
    parts.push_back(value);
  }
  status.SetPayload(kReasonUrl, absl::Cord(Encode(parts)));
  return status;
}

absl::Status WithField(absl::Status status, absl::string_view field,
                       absl::string_view description) {
  if (status.ok()) return status;
  status.SetPayload(kFieldUrl, absl::Cord(Encode({field, description})));
  return status;
}

absl::Status UnderField(absl::Status status, absl::string_view prefix) {
  if (status.ok()) return status;
  std::optional<FieldViolation> inner = GetFieldViolation(status);
  if (!inner.has_value() || inner->field.empty()) return WithField(std::move(status), prefix);
  const char* separator = inner->field[0] == '[' ? "" : ".";
  const std::string field = absl::StrCat(prefix, separator, inner->field);
  const std::string description =
      inner->description == status.message() ? "" : inner->description;
  return WithField(std::move(status), field, description);
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (status.ok()) return status;
  status.SetPayload(kRetryUrl, absl::Cord(absl::StrCat(absl::ToInt64Milliseconds(delay))));
  return status;
}

absl::Status WithContext(const absl::Status& status, absl::string_view prefix) {
  if (status.ok()) return status;
  absl::Status out(status.code(), absl::StrCat(prefix, ": ", status.message()));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

absl::Status InvalidField(absl::string_view field, absl::string_view reason,
                          absl::string_view message, ErrorMetadata metadata) {
  return WithField(WithReason(absl::InvalidArgumentError(message), reason, std::move(metadata)),
                   field);
}

std::optional<ErrorReason> GetErrorReason(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kReasonUrl);
  if (!payload.has_value()) return std::nullopt;
  std::optional<std::vector<std::string>> parts = Decode(*payload);
  if (!parts.has_value() || parts->empty() || parts->size() % 2 != 1) return std::nullopt;
  ErrorReason out;
  out.reason = (*parts)[0];
  for (size_t i = 1; i + 1 < parts->size(); i += 2) {
    out.metadata.emplace_back((*parts)[i], (*parts)[i + 1]);
  }
  return out;
}

std::optional<FieldViolation> GetFieldViolation(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kFieldUrl);
  if (!payload.has_value()) return std::nullopt;
  std::optional<std::vector<std::string>> parts = Decode(*payload);
  if (!parts.has_value() || parts->size() != 2) return std::nullopt;
  FieldViolation out{(*parts)[0], (*parts)[1]};
  if (out.description.empty()) out.description = std::string(status.message());
  return out;
}

std::optional<absl::Duration> GetRetryDelay(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kRetryUrl);
  int64_t ms = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &ms)) return std::nullopt;
  return absl::Milliseconds(ms);
}

}  // namespace irm::common
