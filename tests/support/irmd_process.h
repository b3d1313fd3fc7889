// IrmdProcess: the real irmd binary (IRMD_PATH, from CMake) serving a data folder on a free
// loopback port, for end-to-end and crash tests.
//
// Start() runs `irmd --data DIR --listen 127.0.0.1:0 [extra args]` and returns once irmd
// printed "irmd listening on HOST:PORT" (within 20 s). Its stderr keeps being drained into
// memory, so it never blocks. Destroying a running IrmdProcess SIGKILLs it.
//
// Thread-safety: address() may be called from any thread; Stop/Kill9 from one thread.
#ifndef IRM_TESTS_SUPPORT_IRMD_PROCESS_H_
#define IRM_TESTS_SUPPORT_IRMD_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/support/subprocess.h"

namespace irm::tests {

// The irmd and irm binaries this test binary was built against.
const char* IrmdPath();
const char* IrmPath();

class IrmdProcess {
 public:
  // FailedPrecondition (with irmd's stderr) if irmd exits or does not announce its address
  // within 20 s.
  static absl::StatusOr<std::unique_ptr<IrmdProcess>> Start(
      const std::string& data_dir, const std::vector<std::string>& extra_args = {});

  // "127.0.0.1:PORT", as announced by irmd.
  const std::string& address() const { return address_; }
  pid_t pid() const { return process_->pid(); }

  // SIGTERM, then waits up to 30 s. OK only if irmd exited with status 0; otherwise the
  // error names the status and holds irmd's stderr.
  absl::Status Stop();
  // SIGKILL and reap; OK once the process is gone.
  absl::Status Kill9();

  std::string stderr_text() const { return process_->stderr_text(); }
  // Subprocess::WaitForStderrLine on irmd's stderr (e.g. a log record after a SIGHUP).
  absl::StatusOr<std::string> WaitForStderrLine(const std::string& needle,
                                                absl::Duration timeout) {
    return process_->WaitForStderrLine(needle, timeout);
  }
  // The address of the --metrics listener, from irmd's "metrics listening" log record;
  // "" if irmd has logged none (no --metrics, or not yet).
  std::string metrics_address() const;

 private:
  IrmdProcess(std::unique_ptr<Subprocess> process, std::string address)
      : process_(std::move(process)), address_(std::move(address)) {}

  std::unique_ptr<Subprocess> process_;
  std::string address_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_IRMD_PROCESS_H_
