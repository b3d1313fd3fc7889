// ServedLogTest: a gtest fixture base for end-to-end tests that drive one real irmd (see
// IrmdProcess) serving the "data" sub-folder of a fresh temporary folder, with the real irm
// client pointed at it.
//
// SetUp starts irmd with no extra arguments (a fatal failure if it does not come up); a test
// that needs other flags, or no server at first, overrides SetUp and calls StartServer
// itself. TearDown stops a running irmd with SIGTERM and expects exit status 0 (a non-fatal
// failure naming the status otherwise). The temporary folder outlives the server.
//
// Not thread-safe: the helpers are meant for the test's own thread (each irm run is its own
// process, so Irm/IrmJson may also be called from other threads while irmd_ is unchanged).
#ifndef IRM_TESTS_SUPPORT_SERVED_LOG_H_
#define IRM_TESTS_SUPPORT_SERVED_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {

class ServedLogTest : public ::testing::Test {
 protected:
  // `prefix` names the temporary folder (see TempDir).
  explicit ServedLogTest(absl::string_view prefix) : dir_(prefix) {}

  void SetUp() override;
  void TearDown() override;

  // Starts irmd on data_dir() with `extra_args`; a fatal failure if it does not come up.
  void StartServer(const std::vector<std::string>& extra_args = {});
  // SIGTERM, expecting exit status 0 (a fatal failure otherwise); irmd_ is null afterwards.
  void StopServer();
  // StopServer, then StartServer with no extra arguments, on the same data folder.
  void RestartServer();

  // The folder irmd serves: dir_.Sub("data").
  std::string data_dir() const { return dir_.Sub("data"); }

  // The running irmd's address; while none runs, 127.0.0.1:1, where nothing listens (so
  // an irm command that needs the server fails with UNAVAILABLE).
  std::string server() const;
  // `irm ARGS...` against server().
  IrmResult Irm(const std::vector<std::string>& args) const;
  // `irm --json ARGS...` against server(), expecting success (see RunIrmJson); one object
  // per stdout line.
  std::vector<nlohmann::json> IrmJson(const std::vector<std::string>& args) const;
  // IrmJson expecting exactly one object (a non-fatal failure otherwise); that object, or
  // an empty object if none was printed.
  nlohmann::json One(const std::vector<std::string>& args) const;
  // The log's head position, from `irm info --json` (0 if it could not be read).
  uint64_t Head() const;
  // The "position" of each of `events` (JSON lines of irm read/subscribe), in order.
  static std::vector<uint64_t> Positions(const std::vector<nlohmann::json>& events);

  TempDir dir_;  // declared first: outlives the server using it
  std::unique_ptr<IrmdProcess> irmd_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_SERVED_LOG_H_
