// Results of irm-bench scenarios: latency percentiles, one result per scenario, and the two
// output forms (a JSON object per line, or a human table).
//
// Thread-compatible: a LatencySample is filled by one thread, then merged by its owner.
#ifndef IRM_TESTS_BENCH_BENCH_REPORT_H_
#define IRM_TESTS_BENCH_BENCH_REPORT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace irm::bench {

// Microseconds on the monotonic clock; comparable across threads of this process.
inline int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Latencies in microseconds. Percentile() sorts lazily; 0 when empty.
class LatencySample {
 public:
  void Add(int64_t micros) {
    values_.push_back(micros < 0 ? 0 : micros);
    sorted_ = false;
  }
  void Merge(const LatencySample& other);
  size_t count() const { return values_.size(); }
  // The nearest-rank percentile, `p` in (0, 100].
  int64_t Percentile(double p);

 private:
  std::vector<int64_t> values_;
  bool sorted_ = true;
};

// Percentiles of a raw RocksDB synced-write run at the same concurrency and event size.
struct BaselineFigures {
  double events_per_sec = 0;
  int64_t p50_us = 0;
  int64_t p99_us = 0;
  int64_t p999_us = 0;
  size_t value_bytes = 0;  // bytes written per event
};

// No-op round trips (GetLogInfo) by the append scenario's clients in the same layout: what
// the transport alone costs per call on this machine, measured in the same run.
struct RpcFloor {
  double calls_per_sec = 0;
  int64_t p50_us = 0;
  int64_t p99_us = 0;
  int64_t p999_us = 0;
  uint64_t errors = 0;
};

// One scenario's figures. Latency fields are per call (append), per chunk gap (read), time to
// reach every subscriber (subscribe) or the whole rebuild call (rebuild); see --help.
struct ScenarioResult {
  std::string scenario;
  int clients = 0;
  int batch = 0;
  uint64_t events = 0;
  double seconds = 0;
  double events_per_sec = 0;
  int64_t p50_us = 0;
  int64_t p99_us = 0;
  int64_t p999_us = 0;
  uint64_t errors = 0;
  std::string first_error;
  std::optional<BaselineFigures> baseline;  // append only
  std::optional<BaselineFigures> log_shaped_baseline;  // append, with --log-shaped-baseline
  std::optional<BaselineFigures> etcd_baseline;  // append, with --etcd-baseline
  std::optional<RpcFloor> rpc_floor;        // append, unless --no-rpc-floor
  std::optional<double> rss_mib;            // irmd's VmRSS, subscribe only
  std::optional<double> rss_before_mib;     // before the subscribers connected
  // Subscribe: per-delivery percentiles and deliveries never seen.
  std::optional<int64_t> delivery_p50_us;
  std::optional<int64_t> delivery_p99_us;
  uint64_t missing = 0;
  // Cores busy during the measured interval (CPU seconds / wall seconds), see CpuMeter.
  std::optional<double> bench_cores;
  std::optional<double> irmd_cores;
  std::string note;
};

// One JSON object, on one line, with at least scenario, clients, batch, events_per_sec,
// p50_us, p99_us and p999_us; ratio_to_raw and p50_ratio_to_raw when a baseline is present;
// rpc_calls_per_sec and rpc_p50/p99/p999_us with an RPC floor, and with both floor_p50_us
// (rpc_p50_us + raw_p50_us) and p50_ratio_to_floor; etcd_events_per_sec, etcd_p50/p99/p999_us
// and ratio_to_etcd with an etcd baseline.
std::string ToJsonLine(const ScenarioResult& result);

// A fixed-width table with a header line, one row per result, and notes below.
void PrintTable(const std::vector<ScenarioResult>& results, std::ostream& out);

}  // namespace irm::bench

#endif  // IRM_TESTS_BENCH_BENCH_REPORT_H_
