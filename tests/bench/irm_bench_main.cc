// irm-bench: a load tool for a running irmd. See kUsage for the contract.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/bench/bench_report.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {
namespace {

constexpr char kUsage[] = R"(usage: irm-bench --server HOST:PORT [options]

Drives a running irmd over gRPC and prints events/s and latency percentiles per scenario.

  --scenario S       append | read | subscribe | rebuild | all (default all, in that order)
  --clients N        append: concurrent writers, one stream each, 8 per connection (16);
                     read: concurrent full readers (1)
  --batch N          events per append call (1)
  --seconds S        measured time of append and subscribe (5); append warms up 0.5 s first
  --subscribers N    live subscribers from the end (100)
  --rate R           events/s written during subscribe (50)
  --data-bytes N     JSON payload per appended event (100)
  --baseline-dir D   parent folder for the raw RocksDB synced-write baseline that append is
                     compared with (default $TMPDIR or /tmp; put it on the server's disk);
                     'none' skips it
  --log-shaped-baseline  also run the baseline writing irmd's per-event index entries
                     (stream index, event-id index after an id lookup) in its column families
  --raw-rocksdb-options OPTS  RocksDB options over irmd's for the raw baseline, in RocksDB's
                     option-string form, e.g. 'wal_bytes_per_sync=1048576;manual_wal_flush=true'
                     (DB options, and column-family options for every family): measures a
                     RocksDB lever on the synced write (tests/bench/rocksdb_levers.sh)
  --no-rpc-floor     append: skip the no-op GetLogInfo round trips timed after it
  --etcd-baseline URL[,URL...]  append against a cluster node: also run raw etcd
                     compare-and-put transactions (the cluster's commit shape: compare a head's
                     version, put the head and `batch` events) from the same number of threads,
                     keys under /irm-bench/RUN/ (etcd_events_per_sec, ratio_to_etcd)
  --irmd-pid PID     irmd's pid for its resident memory (default: the only process 'irmd')
  --json             one JSON object per scenario per line instead of a table
  --smoke            tiny and fast (about 1 s per scenario) for the test suite; no targets
  --help

Append clients are closed loops on one gRPC completion queue polled by one thread: N clients
are N calls in flight, each issuing its next call as soon as the previous one completed. Append latency is
per call; its baseline is raw RocksDB WriteBatch(batch) writes with sync=true from the same
number of threads, values the size of a stored event (ratio_to_raw = events/s over raw
events/s). After the append cell the same clients do no-op GetLogInfo round trips the same
way for as long: rpc_calls_per_sec and rpc_p50_us/rpc_p99_us/rpc_p999_us, the transport's
cost alone; floor_p50_us = rpc_p50_us + raw_p50_us is what one append cannot beat (a round
trip plus a synced write) and p50_ratio_to_floor = p50_us / floor_p50_us (--no-rpc-floor
skips them). Read latency fields are gaps between 256-event chunks. Subscribe latency
fields are the time from before an Append call until the last subscriber received that
event; events_per_sec there counts deliveries. Rebuild is timed by the server. Append,
read and subscribe also report bench_cpu_cores and irmd_cpu_cores: the cores irm-bench
itself and irmd kept busy during the measured interval (CPU time over wall time), to tell
when the load tool is the bottleneck. Exit: 0 ok; 1 a scenario could not run; 2 bad usage; 3 some calls failed.
)";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "irm-bench: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

struct Flags {
  BenchConfig config;
  std::string scenario = "all";
  bool json = false;
  bool smoke = false;
  bool clients_set = false;
  bool subscribers_set = false;
  bool seconds_set = false;
};

// Parses --flag VALUE and --flag=VALUE. Returns an error message, empty when fine.
std::string ParseFlags(const std::vector<std::string>& args, Flags* flags, bool* help) {
  std::map<std::string, std::string> values;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    if (flag == "--help" || flag == "-h") *help = true;
    else if (flag == "--json") flags->json = true;
    else if (flag == "--smoke") flags->smoke = true;
    else if (flag == "--log-shaped-baseline") flags->config.log_shaped_baseline = true;
    else if (flag == "--no-rpc-floor") flags->config.rpc_floor = false;
    else if (flag.rfind("--", 0) != 0) return absl::StrCat("unexpected argument '", flag, "'");
    else {
      if (size_t eq = flag.find('='); eq != std::string::npos) {
        value = flag.substr(eq + 1);
        flag = flag.substr(0, eq);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::StrCat(flag, " needs a value");
      }
      values[flag] = value;
    }
  }
  BenchConfig& c = flags->config;
  for (const auto& [flag, value] : values) {
    int number = 0;
    double real = 0;
    const bool is_int = absl::SimpleAtoi(value, &number) && number > 0;
    const bool is_real = absl::SimpleAtod(value, &real) && real > 0;
    if (flag == "--server") c.server = value;
    else if (flag == "--scenario") flags->scenario = value;
    else if (flag == "--baseline-dir") c.baseline_dir = value;
    else if (flag == "--raw-rocksdb-options") c.raw_rocksdb_options = value;
    else if (flag == "--etcd-baseline") c.etcd_baseline = absl::StrSplit(value, ',');
    else if (flag == "--clients" && is_int) c.clients = number, flags->clients_set = true;
    else if (flag == "--batch" && is_int && number <= 1000) c.batch = number;
    else if (flag == "--subscribers" && is_int) c.subscribers = number, flags->subscribers_set = true;
    else if (flag == "--data-bytes" && is_int) c.data_bytes = number;
    else if (flag == "--irmd-pid" && is_int) c.irmd_pid = number;
    else if (flag == "--seconds" && is_real) c.duration = absl::Seconds(real), flags->seconds_set = true;
    else if (flag == "--rate" && is_real) c.subscribe_rate = real;
    else return absl::StrCat("bad flag or value: ", flag, " '", value, "'");
  }
  return "";
}

int Run(int argc, char** argv) {
#ifdef NDEBUG
  // As irmd does: Debian's Abseil checks lock order on every Mutex lock (gRPC's too), a few %
  // of the load tool's CPU under load, which the tool would take from irmd on a shared machine.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  Flags flags;
  bool help = false;
  std::string problem = ParseFlags(std::vector<std::string>(argv + 1, argv + argc), &flags, &help);
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!problem.empty()) return Usage(problem);
  BenchConfig& config = flags.config;
  if (config.server.empty()) return Usage("--server HOST:PORT is required");
  const std::vector<std::string> known = {"append", "read", "subscribe", "rebuild"};
  std::vector<std::string> scenarios;
  if (flags.scenario == "all") {
    scenarios = known;
  } else {
    for (absl::string_view s : absl::StrSplit(flags.scenario, ',')) {
      if (std::find(known.begin(), known.end(), s) == known.end()) {
        return Usage(absl::StrCat("unknown scenario '", s, "'"));
      }
      scenarios.emplace_back(s);
    }
  }
  if (config.baseline_dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    config.baseline_dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  } else if (config.baseline_dir == "none") {
    config.baseline_dir.clear();
  }
  if (flags.smoke) {
    if (!flags.seconds_set) config.duration = absl::Seconds(1);
    if (!flags.clients_set) config.clients = 4;
    if (!flags.subscribers_set) config.subscribers = 4;
    config.warmup = absl::Milliseconds(200);
  }
  config.run_id = absl::StrCat(getpid(), "-", absl::ToUnixSeconds(absl::Now()));

  if (absl::Status ready = WaitForServer(config.server, absl::Seconds(10)); !ready.ok()) {
    std::fprintf(stderr, "irm-bench: %s\n", std::string(ready.message()).c_str());
    return 1;
  }
  std::vector<ScenarioResult> results;
  int exit_code = 0;
  for (const std::string& scenario : scenarios) {
    BenchConfig scenario_config = config;
    if (scenario == "read" && !flags.clients_set) scenario_config.clients = 1;
    absl::StatusOr<ScenarioResult> result =
        scenario == "append"      ? RunAppend(scenario_config)
        : scenario == "read"      ? RunRead(scenario_config)
        : scenario == "subscribe" ? RunSubscribe(scenario_config)
                                  : RunRebuild(scenario_config);
    if (!result.ok()) {
      std::fprintf(stderr, "irm-bench: %s: %s\n", scenario.c_str(),
                   std::string(result.status().message()).c_str());
      exit_code = 1;
      continue;
    }
    if (result->errors > 0 && exit_code == 0) exit_code = 3;
    if (flags.json) {
      std::cout << ToJsonLine(*result) << std::endl;
    } else {
      std::cerr << "irm-bench: " << scenario << " done" << std::endl;
    }
    results.push_back(*std::move(result));
  }
  if (!flags.json) PrintTable(results, std::cout);
  return exit_code;
}

}  // namespace
}  // namespace irm::bench

int main(int argc, char** argv) { return irm::bench::Run(argc, argv); }
