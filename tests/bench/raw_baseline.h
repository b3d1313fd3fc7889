// The hardware's limit for durable appends: raw RocksDB synced writes (WriteOptions.sync)
// from N threads, each write a WriteBatch of `batch` values of `value_bytes`, no gRPC and no
// event logic. RocksDB groups concurrent synced writes into one WAL fsync itself, as irmd's
// writer does, so this is the figure an append path on this disk can approach.
//
// Thread-compatible: one call at a time per folder.
#ifndef IRM_TESTS_BENCH_RAW_BASELINE_H_
#define IRM_TESTS_BENCH_RAW_BASELINE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/bench/bench_report.h"

namespace irm::bench {

struct RawBaselineOptions {
  std::string parent_dir;  // a fresh sub-folder is made here and removed afterwards
  int threads = 1;
  int batch = 1;
  size_t value_bytes = 256;
  absl::Duration duration = absl::Seconds(3);
  absl::Duration warmup = absl::Milliseconds(300);  // not counted
  // Also write what irmd's schema adds per event: a stream-index entry and an event-id
  // index entry (random 16-byte key, looked up first as the idempotency check does), in the
  // log's column-family layout. Separates the schema's RocksDB cost from gRPC's.
  bool log_shaped = false;
  // RocksDB options over irmd's, in RocksDB's option-string form ("wal_bytes_per_sync=1048576;
  // write_buffer_size=268435456"): DB options, and column-family options applied to every
  // family. For measuring a RocksDB lever on the synced write without rebuilding irmd.
  // An unknown name or bad value makes RunRawBaseline fail (InvalidArgument).
  std::string rocksdb_options;
};

// Runs the writers for warmup + duration. Latency is per synced write (one batch).
// Unavailable if the database cannot be made or a write fails; InvalidArgument for bad
// rocksdb_options.
absl::StatusOr<BaselineFigures> RunRawBaseline(const RawBaselineOptions& options);

}  // namespace irm::bench

#endif  // IRM_TESTS_BENCH_RAW_BASELINE_H_
