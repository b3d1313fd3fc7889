// irm-bench scenarios: each drives a running irmd over gRPC and returns its figures.
//
// Every scenario is self-contained (it makes its own channels and streams) and may run
// after others against the same server; stream names carry a per-run prefix so runs do not
// collide. Failures of individual calls are counted in ScenarioResult::errors; a scenario
// returns an error Status only when it cannot run at all (server unreachable, ...).
//
// Thread-compatible: call one scenario at a time.
#ifndef IRM_TESTS_BENCH_SCENARIOS_H_
#define IRM_TESTS_BENCH_SCENARIOS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "tests/bench/bench_report.h"

namespace irm::bench {

struct BenchConfig {
  std::string server;          // HOST:PORT
  int clients = 16;            // append writers (read: concurrent full readers)
  int batch = 1;               // events per append call
  absl::Duration duration = absl::Seconds(5);
  absl::Duration warmup = absl::Milliseconds(500);  // appends before measuring, not counted
  int subscribers = 100;
  double subscribe_rate = 50;  // events per second written during the subscribe scenario
  size_t data_bytes = 100;     // JSON payload of each appended event (approximate)
  std::string baseline_dir;    // empty: no raw RocksDB baseline
  bool log_shaped_baseline = false;  // also run the baseline with the log's index writes
  std::string raw_rocksdb_options;   // RocksDB option string applied to the raw baseline
  bool rpc_floor = true;       // append: also time no-op GetLogInfo round trips
  std::vector<std::string> etcd_baseline;  // append: etcd URLs for the raw etcd baseline
  std::optional<int> irmd_pid; // for VmRSS; found by name when absent
  std::string run_id;          // stream-name prefix for this run
};

// A channel to `server` with its own TCP connection: distinct `index` values give distinct
// channel arguments, so gRPC does not share one subchannel between them.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server, int index);

// Waits up to `timeout` for the server to answer GetLogInfo; Unavailable otherwise.
absl::Status WaitForServer(const std::string& server, absl::Duration timeout);

// `clients` closed-loop clients (one channel per 8; each one Append in flight, the next
// issued from the previous one's completion callback, closed_loop.h), each appending batches
// of `batch` events to its own stream for warmup + duration; latency per Append call. With
// rpc_floor, then the same clients do no-op GetLogInfo round trips the same way for as long.
// With baseline_dir set, also runs the raw RocksDB baseline at the same concurrency and
// stored event size.
absl::StatusOr<ScenarioResult> RunAppend(const BenchConfig& config);

// Reads the whole log with ReadAll (`clients` readers at once, each reading all of it).
// Latency fields: gaps between consecutive chunks.
absl::StatusOr<ScenarioResult> RunRead(const BenchConfig& config);

// `subscribers` live subscriptions from the end; one writer appends at subscribe_rate for
// duration with the send time in the data. Latency fields: time for an event to reach all
// subscribers. events_per_sec: deliveries (events x subscribers) per second.
absl::StatusOr<ScenarioResult> RunSubscribe(const BenchConfig& config);

// AdminService.RebuildProjection("stream_stats"): events replayed per second as timed by
// the server; p50/p99/p99.9 are the whole call as seen by the client.
absl::StatusOr<ScenarioResult> RunRebuild(const BenchConfig& config);

// irmd's VmRSS in MiB from /proc/PID/status; nullopt if unreadable.
std::optional<double> ReadRssMib(int pid);

// The pid of the only process named "irmd", if exactly one runs on this machine.
std::optional<int> FindIrmdPid();

// CPU seconds (user + system) process `pid` has used so far; nullopt if unreadable.
std::optional<double> ReadCpuSeconds(int pid);

// How many cores irm-bench itself and irmd kept busy over an interval, so a reader can tell
// whether the load tool (which shares the machine) is what limits a figure. Start() when the
// measured interval begins, Stop() when it ends; Stop() fills bench_cores and irmd_cores.
class CpuMeter {
 public:
  explicit CpuMeter(std::optional<int> irmd_pid);
  void Start();
  void Stop(ScenarioResult* result) const;

 private:
  std::optional<int> irmd_pid_;
  int64_t begin_us_ = 0;
  std::optional<double> bench_begin_;
  std::optional<double> irmd_begin_;
};

}  // namespace irm::bench

#endif  // IRM_TESTS_BENCH_SCENARIOS_H_
