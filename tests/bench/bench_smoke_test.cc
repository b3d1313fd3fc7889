// Keeps irm-bench from rotting: runs `irm-bench --smoke --scenario all --json` against a real
// irmd and checks that every scenario printed a well-formed object with events_per_sec > 0,
// and that append carries its raw baseline and no-op round-trip floor. No timing is asserted.
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;

TEST(BenchSmokeTest, EveryScenarioPrintsAWellFormedObject) {
  TempDir dir("irm-bench-smoke");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();

  SubprocessOptions options;
  options.argv = {IRM_BENCH_PATH, "--server", (*irmd)->address(), "--smoke", "--scenario",
                  "all", "--json", "--baseline-dir", dir.path(), "--irmd-pid",
                  std::to_string((*irmd)->pid())};
  absl::StatusOr<std::unique_ptr<Subprocess>> bench = Subprocess::Start(options);
  ASSERT_TRUE(bench.ok()) << bench.status();
  absl::StatusOr<int> exit_code = (*bench)->Wait(absl::Seconds(120));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  const std::string out = (*bench)->stdout_text();
  EXPECT_EQ(*exit_code, 0) << out << (*bench)->stderr_text();

  std::set<std::string> seen;
  for (const std::string& line : Lines(out)) {
    json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(object.is_object()) << "not a JSON object: " << line;
    for (const char* key : {"scenario", "clients", "batch", "events_per_sec", "p50_us", "p99_us",
                            "p999_us"}) {
      EXPECT_TRUE(object.contains(key)) << key << " missing in " << line;
    }
    ASSERT_TRUE(object["events_per_sec"].is_number()) << line;
    EXPECT_GT(object["events_per_sec"].get<double>(), 0) << line;
    if (object["scenario"] == "append") {
      EXPECT_TRUE(object.contains("ratio_to_raw")) << line;
      // The no-op round-trip floor measured after the appends, and the floor it implies.
      for (const char* key : {"rpc_calls_per_sec", "rpc_p50_us", "rpc_p99_us", "rpc_p999_us",
                              "raw_p50_us", "floor_p50_us", "p50_ratio_to_floor"}) {
        ASSERT_TRUE(object.contains(key) && object[key].is_number()) << key << " in " << line;
      }
      EXPECT_GT(object["rpc_calls_per_sec"].get<double>(), 0) << line;
      EXPECT_GT(object["rpc_p50_us"].get<int64_t>(), 0) << line;
      EXPECT_LE(object["rpc_p50_us"].get<int64_t>(), object["rpc_p99_us"].get<int64_t>()) << line;
      EXPECT_LE(object["rpc_p99_us"].get<int64_t>(), object["rpc_p999_us"].get<int64_t>()) << line;
      EXPECT_EQ(object["floor_p50_us"].get<int64_t>(),
                object["rpc_p50_us"].get<int64_t>() + object["raw_p50_us"].get<int64_t>())
          << line;
      EXPECT_GT(object["p50_ratio_to_floor"].get<double>(), 0) << line;
      EXPECT_FALSE(object.contains("rpc_errors")) << line;
    }
    if (object["scenario"] == "subscribe") {
      EXPECT_TRUE(object.contains("rss_mib")) << line;
    }
    seen.insert(object.value("scenario", ""));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"append", "read", "subscribe", "rebuild"})) << out;

  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
}

TEST(BenchSmokeTest, NoRpcFloorSkipsTheRoundTrips) {
  TempDir dir("irm-bench-smoke");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();

  SubprocessOptions options;
  options.argv = {IRM_BENCH_PATH, "--server", (*irmd)->address(), "--smoke", "--scenario",
                  "append", "--json", "--baseline-dir", "none", "--no-rpc-floor"};
  absl::StatusOr<std::unique_ptr<Subprocess>> bench = Subprocess::Start(options);
  ASSERT_TRUE(bench.ok()) << bench.status();
  absl::StatusOr<int> exit_code = (*bench)->Wait(absl::Seconds(60));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  const std::string out = (*bench)->stdout_text();
  EXPECT_EQ(*exit_code, 0) << out << (*bench)->stderr_text();

  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 1u) << out;
  json object = json::parse(lines[0], nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(object.is_object()) << lines[0];
  EXPECT_EQ(object["scenario"], "append");
  EXPECT_GT(object["events_per_sec"].get<double>(), 0) << lines[0];
  for (const char* key : {"rpc_calls_per_sec", "rpc_p50_us", "floor_p50_us", "raw_p50_us"}) {
    EXPECT_FALSE(object.contains(key)) << key << " present in " << lines[0];
  }

  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
}

// irm-bench reaches irmd over a Unix domain socket (`--server unix:PATH`) as over TCP.
TEST(BenchSmokeTest, AppendsOverAUnixSocket) {
  TempDir dir("irm-bench-smoke");
  const std::string socket = "unix:" + dir.Sub("irmd.sock");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd =
      IrmdProcess::Start(dir.Sub("data"), {"--listen", socket});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  ASSERT_EQ((*irmd)->address(), socket);

  SubprocessOptions options;
  options.argv = {IRM_BENCH_PATH, "--server", socket, "--smoke", "--scenario", "append",
                  "--json", "--baseline-dir", "none"};
  absl::StatusOr<std::unique_ptr<Subprocess>> bench = Subprocess::Start(options);
  ASSERT_TRUE(bench.ok()) << bench.status();
  absl::StatusOr<int> exit_code = (*bench)->Wait(absl::Seconds(60));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  const std::string out = (*bench)->stdout_text();
  EXPECT_EQ(*exit_code, 0) << out << (*bench)->stderr_text();
  const std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 1u) << out;
  json object = json::parse(lines[0], nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(object.is_object()) << lines[0];
  EXPECT_GT(object["events_per_sec"].get<double>(), 0) << lines[0];
  EXPECT_EQ(object.value("errors", -1), 0) << lines[0];
  EXPECT_GT(object.value("rpc_calls_per_sec", 0.0), 0) << lines[0];

  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
}

}  // namespace
}  // namespace irm::tests
