// Subprocess: a child process started from an argv, with its stdout and stderr captured.
//
// The child gets stdin from /dev/null and the test's environment plus `env` overrides. Its
// stdout and stderr are drained continuously by background threads into in-memory buffers
// (and, if a path is given, copied to a file), so a chatty child never blocks on a full pipe.
// Every pipe end the parent holds is O_CLOEXEC, so one child's pipes never leak into another
// child started concurrently.
//
// Thread-safety: all methods may be called from any thread. The destructor SIGKILLs a child
// that is still running, reaps it and joins the drain threads.
#ifndef IRM_TESTS_SUPPORT_SUBPROCESS_H_
#define IRM_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace irm::tests {

struct SubprocessOptions {
  std::vector<std::string> argv;  // argv[0] is the program path (no PATH search)
  std::vector<std::string> env;   // "NAME=value" entries added to (or replacing) the environment
  std::string stdout_file;        // if set, stdout is also written to this file
  std::string stderr_file;        // if set, stderr is also written to this file
};

class Subprocess {
 public:
  // Starts the child. Fails (Internal/NotFound) if pipes cannot be made or the program cannot
  // be spawned.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(const SubprocessOptions& options);

  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // Waits up to `timeout` for the child to exit and for its output to reach EOF. Returns the
  // shell-style status: the exit code, or 128 + signal number if a signal ended it.
  // DeadlineExceeded if it is still running (it is left running). Repeated calls after exit
  // return the same value.
  absl::StatusOr<int> Wait(absl::Duration timeout);

  // Sends `signal` to the child if it has not been reaped yet.
  void Kill(int signal);

  // Waits up to `timeout` until stderr holds a complete line containing `needle` and returns
  // that line (without the newline). NotFound if the child's stderr reached EOF first;
  // DeadlineExceeded on timeout.
  absl::StatusOr<std::string> WaitForStderrLine(const std::string& needle, absl::Duration timeout);

  // Everything read so far.
  std::string stdout_text() const;
  std::string stderr_text() const;

 private:
  struct Stream;

  Subprocess() = default;
  void Drain(Stream* stream);

  pid_t pid_ = -1;
  std::unique_ptr<Stream> out_;
  std::unique_ptr<Stream> err_;
  std::thread out_thread_;
  std::thread err_thread_;

  mutable absl::Mutex mu_;
  std::optional<int> exit_status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_SUBPROCESS_H_
