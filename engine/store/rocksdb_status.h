// The one place where rocksdb::Status becomes absl::Status (conventions.md, habit 2).
#ifndef IRM_ENGINE_STORE_ROCKSDB_STATUS_H_
#define IRM_ENGINE_STORE_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace irm::store {

// Maps `s` to a canonical code: corruption is DataLoss, a full disk ResourceExhausted, a
// held lock FailedPrecondition, other I/O trouble Unavailable. `context` says what was being
// done ("writing the log"), and is the start of the message.
absl::Status FromRocksDb(const rocksdb::Status& s, absl::string_view context);

// A failed write of the log's own batch (an append group). RocksDB may have put the batch
// on disk before the failure (a WAL record written, its fsync failed: recovery replays it),
// so the outcome is unknown: always Unavailable, saying so and to retry with the same event
// ids (a retry of what was written answers already_written), with reason OUTCOME_UNKNOWN,
// the RocksDB code's canonical mapping as metadata "cause" and a retry delay. OK stays OK.
absl::Status FromFailedLogWrite(const rocksdb::Status& s);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_ROCKSDB_STATUS_H_
