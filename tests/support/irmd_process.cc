#include "tests/support/irmd_process.h"

#include <signal.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace irm::tests {

const char* IrmdPath() { return IRMD_PATH; }
const char* IrmPath() { return IRM_PATH; }

absl::StatusOr<std::unique_ptr<IrmdProcess>> IrmdProcess::Start(
    const std::string& data_dir, const std::vector<std::string>& extra_args) {
  SubprocessOptions options;
  options.argv = {IrmdPath(), "--data", data_dir, "--listen", "127.0.0.1:0"};
  options.argv.insert(options.argv.end(), extra_args.begin(), extra_args.end());
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Start(options);
  if (!process.ok()) return process.status();
  const std::string kAnnouncement = "irmd listening on ";
  absl::StatusOr<std::string> line =
      (*process)->WaitForStderrLine(kAnnouncement, absl::Seconds(20));
  if (!line.ok()) {
    (*process)->Kill(SIGKILL);
    (void)(*process)->Wait(absl::Seconds(10));
    return absl::FailedPreconditionError(absl::StrCat(
        "irmd did not start: ", line.status().message(), "; stderr:\n", (*process)->stderr_text()));
  }
  std::string address(
      absl::StripAsciiWhitespace(line->substr(line->find(kAnnouncement) + kAnnouncement.size())));
  return std::unique_ptr<IrmdProcess>(new IrmdProcess(std::move(*process), std::move(address)));
}

std::string IrmdProcess::metrics_address() const {
  for (absl::string_view line : absl::StrSplit(process_->stderr_text(), '\n')) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_object() && record.value("message", "") == "metrics listening") {
      return record["fields"].value("address", "");
    }
  }
  return "";
}

absl::Status IrmdProcess::Stop() {
  process_->Kill(SIGTERM);
  absl::StatusOr<int> status = process_->Wait(absl::Seconds(30));
  if (!status.ok()) {
    return absl::DeadlineExceededError(
        absl::StrCat("irmd did not stop after SIGTERM: ", status.status().message(), "; stderr:\n",
                     process_->stderr_text()));
  }
  if (*status != 0) {
    return absl::InternalError(absl::StrCat("irmd exited with status ", *status,
                                            " after SIGTERM; stderr:\n", process_->stderr_text()));
  }
  return absl::OkStatus();
}

absl::Status IrmdProcess::Kill9() {
  process_->Kill(SIGKILL);
  absl::StatusOr<int> status = process_->Wait(absl::Seconds(30));
  return status.ok() ? absl::OkStatus() : status.status();
}

}  // namespace irm::tests
