#include "cli/core/progress.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_format.h"
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

std::string Progress::Bar(uint64_t done, uint64_t total, size_t width) {
  const double fraction = total == 0 ? 0.0 : std::min(1.0, static_cast<double>(done) / total);
  const size_t filled = static_cast<size_t>(fraction * width);
  return absl::StrFormat("[%s%s] %3d%%", std::string(filled, '#'), std::string(width - filled, '-'),
                         static_cast<int>(fraction * 100));
}

void Progress::Clear() {
  if (!shown_) return;
  err_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace irm::cli
