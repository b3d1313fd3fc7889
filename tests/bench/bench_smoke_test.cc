// Keeps irm-bench from rotting: runs `irm-bench --smoke --scenario all --json` against a real
// irmd and checks that every scenario printed a well-formed object with events_per_sec > 0,
// and that append carries its raw baseline and no-op round-trip floor. No timing is asserted.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

// Runs irm-bench with `args` against `server` and returns the JSON objects it printed, one per
// line; fails the test (with its output) unless it exits 0 and every line is an object.
std::vector<json> RunBench(const std::string& server, std::vector<std::string> args,
                           absl::Duration timeout) {
  SubprocessOptions options;
  options.argv = {IRM_BENCH_PATH, "--server", server, "--smoke", "--json"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  absl::StatusOr<std::unique_ptr<Subprocess>> bench = Subprocess::Start(options);
  if (!bench.ok()) {
    ADD_FAILURE() << bench.status();
    return {};
  }
  absl::StatusOr<int> exit_code = (*bench)->Wait(timeout);
  const std::string out = (*bench)->stdout_text();
  if (!exit_code.ok() || *exit_code != 0) {
    ADD_FAILURE() << "irm-bench: "
                  << (exit_code.ok() ? absl::StrCat("exit ", *exit_code)
                                     : exit_code.status().ToString())
                  << "\n" << out << (*bench)->stderr_text();
    return {};
  }
  std::vector<json> objects;
  for (const std::string& line : Lines(out)) {
    json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) {
      ADD_FAILURE() << "not a JSON object: " << line;
      return {};
    }
    objects.push_back(std::move(object));
  }
  return objects;
}

TEST(BenchSmokeTest, EveryScenarioPrintsAWellFormedObject) {
  TempDir dir("irm-bench-smoke");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();

  const std::vector<json> objects =
      RunBench((*irmd)->address(),
               {"--scenario", "all", "--baseline-dir", dir.path(), "--irmd-pid",
                std::to_string((*irmd)->pid())},
               absl::Seconds(120));
  ASSERT_FALSE(objects.empty());

  std::set<std::string> seen;
  for (json object : objects) {
    const std::string line = object.dump();
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
  EXPECT_EQ(seen, (std::set<std::string>{"append", "read", "subscribe", "rebuild"}));

  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
}

TEST(BenchSmokeTest, NoRpcFloorSkipsTheRoundTrips) {
  TempDir dir("irm-bench-smoke");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();

  const std::vector<json> objects =
      RunBench((*irmd)->address(),
               {"--scenario", "append", "--baseline-dir", "none", "--no-rpc-floor"},
               absl::Seconds(60));
  ASSERT_EQ(objects.size(), 1u);
  json object = objects[0];
  const std::string line = object.dump();
  EXPECT_EQ(object["scenario"], "append");
  EXPECT_GT(object["events_per_sec"].get<double>(), 0) << line;
  for (const char* key : {"rpc_calls_per_sec", "rpc_p50_us", "floor_p50_us", "raw_p50_us"}) {
    EXPECT_FALSE(object.contains(key)) << key << " present in " << line;
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

  const std::vector<json> objects =
      RunBench(socket, {"--scenario", "append", "--baseline-dir", "none"}, absl::Seconds(60));
  ASSERT_EQ(objects.size(), 1u);
  json object = objects[0];
  const std::string line = object.dump();
  EXPECT_GT(object["events_per_sec"].get<double>(), 0) << line;
  EXPECT_EQ(object.value("errors", -1), 0) << line;
  EXPECT_GT(object.value("rpc_calls_per_sec", 0.0), 0) << line;

  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
}

}  // namespace
}  // namespace irm::tests
