#include "cli/core/cli_status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace irm::cli {
namespace {

constexpr char kUsagePayload[] = "type.irm/cli.UsageError";

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

int ExitCode(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  return IsUsageError(status) ? kExitUsage : kExitFailure;
}

std::string StatusLine(const absl::Status& status) {
  std::string name = absl::StatusCodeToString(status.code());
  if (name.empty()) name = "UNKNOWN";
  if (status.ok()) return name;
  std::string line = absl::StrCat(name, ": ", status.message());
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

}  // namespace irm::cli
