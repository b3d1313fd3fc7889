#include "tests/support/run_irm.h"

#include <signal.h>

#include "absl/strings/str_split.h"
#include "tests/support/irmd_process.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

// How long one irm command may run before it is killed (exit 137): a bound for a hung
// command, not a speed goal. The slowest, `irm sample load`, takes ~10 s on a quiet 2-core
// machine and took over 60 s on one overloaded by two test runs at once.
constexpr absl::Duration kIrmCommandLimit = absl::Seconds(180);

}  // namespace

IrmResult RunIrm(const std::string& server, const std::vector<std::string>& args) {
  return RunIrm(server, args, {});
}

IrmResult RunIrm(const std::string& server, const std::vector<std::string>& args,
                 const std::vector<std::string>& env) {
  IrmResult result;
  SubprocessOptions options;
  options.argv = {IrmPath(), "--server", server};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.env = {"IRM_SERVER=", "IRM_TOKEN="};
  options.env.insert(options.env.end(), env.begin(), env.end());
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Start(options);
  if (!process.ok()) {
    result.err = std::string(process.status().message());
    return result;
  }
  absl::StatusOr<int> status = (*process)->Wait(kIrmCommandLimit);
  if (!status.ok()) {
    (*process)->Kill(SIGKILL);
    status = (*process)->Wait(absl::Seconds(10));
  }
  result.exit_code = status.ok() ? *status : -1;
  result.out = (*process)->stdout_text();
  result.err = (*process)->stderr_text();
  return result;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::ostream& operator<<(std::ostream& os, const IrmResult& result) {
  return os << "exit " << result.exit_code << "\n--- stdout:\n"
            << result.out << "--- stderr:\n"
            << result.err;
}

}  // namespace irm::tests
