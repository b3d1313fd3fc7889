#include "cli/progress.h"

#include <unistd.h>

#include "absl/time/clock.h"

namespace irm::cli {
namespace {

constexpr absl::Duration kInterval = absl::Milliseconds(200);

}  // namespace

bool Progress::StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

bool Progress::Due() const { return enabled_ && absl::Now() - last_ >= kInterval; }

void Progress::Show(const std::string& text) {
  if (!Due()) return;
  last_ = absl::Now();
  err_ << "\r\033[K" << text << std::flush;
  shown_ = true;
}

void Progress::Clear() {
  if (!shown_) return;
  err_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace irm::cli
