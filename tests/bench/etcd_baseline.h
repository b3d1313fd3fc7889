// What etcd itself gives an append: raw compare-and-put transactions against the cluster's
// etcd, from C++, in the shape cluster mode commits (docs/cluster.md): each of N threads
// owns a head key and, per transaction, compares the head's version with what it last wrote
// and puts the new head plus `batch` event keys of `value_bytes`. One transaction in flight
// per thread, no irmd, no gRPC server of ours. irm-bench --etcd-baseline runs it beside the
// append scenario at the same concurrency and batch (docs/performance.md).
//
// Keys go under "/irm-bench/<run id>/" (never under irmd's "/irm/"), and stay there: etcd
// holds them until an operator deletes that prefix.
//
// Thread-compatible: one call at a time.
#ifndef IRM_TESTS_BENCH_ETCD_BASELINE_H_
#define IRM_TESTS_BENCH_ETCD_BASELINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/bench/bench_report.h"

namespace irm::bench {

struct EtcdBaselineOptions {
  std::vector<std::string> endpoints;  // etcd client URLs
  std::string run_id;
  int threads = 1;
  int batch = 1;  // at most 127 (etcd's 128 operations per transaction, one is the head)
  size_t value_bytes = 256;
  absl::Duration duration = absl::Seconds(3);
  absl::Duration warmup = absl::Milliseconds(300);  // not counted
};

// Runs the threads for warmup + duration; latency per transaction. Unavailable if etcd
// cannot be reached; a failed compare (it never should: each head has one writer) or call
// counts as an error in the figures' note.
absl::StatusOr<BaselineFigures> RunEtcdBaseline(const EtcdBaselineOptions& options,
                                                std::string* note);

}  // namespace irm::bench

#endif  // IRM_TESTS_BENCH_ETCD_BASELINE_H_
