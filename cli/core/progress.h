// Progress: a self-rewriting status line on a terminal's stderr ("\rexported 120000 events").
//
// Disabled (every call a no-op) unless enabled, typically when stderr is a TTY. Updates are
// throttled to a few per second. Clear() erases the line so the next output (a summary or
// the one-line error) starts clean. Not thread-safe.
#ifndef IRM_CLI_CORE_PROGRESS_H_
#define IRM_CLI_CORE_PROGRESS_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/time/time.h"

namespace irm::cli {

class Progress {
 public:
  Progress(std::ostream& err, bool enabled) : err_(err), enabled_(enabled) {}
  ~Progress() { Clear(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // True if stderr is a terminal.
  static bool StderrIsTerminal();

  // Whether an update now would be shown; lets callers skip formatting the text.
  bool Due() const;
  // Shows `text` in place of the previous line if Due().
  void Show(const std::string& text);
  // Erases the line if anything was shown.
  void Clear();

  // "[#########---------------]  38%": `done` of `total` as a bar `width` characters wide
  // (clamped to 100%; a total of 0 shows an empty bar at 0%).
  static std::string Bar(uint64_t done, uint64_t total, size_t width = 24);

 private:
  std::ostream& err_;
  bool enabled_;
  bool shown_ = false;
  absl::Time last_ = absl::InfinitePast();
};

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_PROGRESS_H_
