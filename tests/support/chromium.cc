#include "tests/support/chromium.h"

#include <csignal>
#include <memory>

#include "absl/strings/str_cat.h"
#include "tests/support/subprocess.h"

namespace irm::tests {

absl::StatusOr<std::string> Chromium(const std::string& profile, std::vector<std::string> extra,
                                     const std::string& url) {
  SubprocessOptions options;
  options.argv = {kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--user-data-dir=" + profile};
  options.argv.insert(options.argv.end(), extra.begin(), extra.end());
  options.argv.push_back(url);
  options.env = {"HOME=" + profile};
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Start(options);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> exit_code = (*process)->Wait(absl::Seconds(90));
  if (!exit_code.ok()) {
    (*process)->Kill(SIGKILL);
    return exit_code.status();
  }
  if (*exit_code != 0) {
    return absl::InternalError(absl::StrCat("chromium exited with ", *exit_code, ": ",
                                            (*process)->stderr_text()));
  }
  return (*process)->stdout_text();
}

int CountOf(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace irm::tests
