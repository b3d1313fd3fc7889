// RocksDbEventLog: the embedded EventLog, stored in one RocksDB folder.
//
// Appends go through a single group-committing writer (see append_writer.h); reads go
// straight to RocksDB and see the log as of the head they read first: never an event past
// it, and every stream as it stood at it (a group RocksDB has published but whose head has
// not advanced yet is invisible, so an existing stream is never NOT_FOUND). Thread-safe.
// RocksDB types stay behind a pimpl, so this header is safe to include anywhere.
#ifndef IRM_ENGINE_STORE_ROCKSDB_EVENT_LOG_H_
#define IRM_ENGINE_STORE_ROCKSDB_EVENT_LOG_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/audit/audit_store.h"
#include "engine/common/clock.h"
#include "engine/log/event_log.h"
#include "engine/store/backup.h"
#include "engine/store/commit_replicator.h"
#include "engine/projection/projection_store.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace irm::store {

struct RocksDbEventLogOptions {
  log::LogLimits limits;
  common::Clock* clock = common::SystemClock();  // not owned; must outlive the log
  // Appends are refused (RESOURCE_EXHAUSTED) while the disk has less free; 0: no reserve.
  uint64_t min_free_bytes = 0;
  // Appends held waiting to be written, queued or committing, carry at most this many bytes
  // of data and metadata; beyond it appends are refused (RESOURCE_EXHAUSTED, BUFFERS_FULL,
  // with a retry delay). See append_writer.h.
  uint64_t max_buffered_bytes = 128ull << 20;
  // Run on every append after the log's own checks (event_log.h); empty: none. irmd sets
  // review::CheckAppendSchema, so no path appends what the review folds cannot read.
  log::ContentCheck content_check;
  // The file system RocksDB (and backups) go through; null: the real one. Tests pass a
  // FaultFileSystem (fault_file_system.h).
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // Cluster mode (docs/cluster.md): the shared log every commit goes through first; not
  // owned, must outlive the log. `limits` are then capped so that one append always fits one
  // transaction of the shared log (kClusterMaxEventsPerAppend, kClusterMaxAppendBytes).
  CommitReplicator* replicator = nullptr;
};


// The append writer's byte bound and use (append_writer.h), for metrics.
struct BufferedAppends {
  uint64_t bytes = 0;      // held now
  uint64_t max_bytes = 0;  // the bound
  uint64_t refused = 0;    // appends refused because of it, since the log opened
};

class RocksDbEventLog final : public log::EventLog {
 public:
  // Opens or creates the log in `dir`. FailedPrecondition if another process uses the
  // folder; DataLoss if it is damaged (startup_check.h says what is checked).
  static absl::StatusOr<std::unique_ptr<RocksDbEventLog>> Open(const std::string& dir,
                                                               RocksDbEventLogOptions options);
  ~RocksDbEventLog() override;

  void AppendAsync(log::AppendRequest request, log::AppendCallback done) override;
  absl::StatusOr<std::vector<log::EventRecord>> ReadStream(
      const log::ReadStreamOptions& options) const override;
  absl::StatusOr<std::vector<log::EventRecord>> ReadAll(
      const log::ReadAllOptions& options) const override;
  // The stored bytes, checked to be at their key's position but not decoded.
  absl::StatusOr<std::vector<std::string>> ReadAllEncoded(
      const log::ReadAllOptions& options) const override;
  absl::StatusOr<log::StreamInfo> GetStreamInfo(absl::string_view stream) const override;
  uint64_t HeadPosition() const override;
  // Cluster mode: records the shared log committed, in position order (the tail's feed);
  // see AppendWriter::SubmitReplicated. Ignored without a replicator.
  void ApplyReplicated(std::vector<std::string> records);
  void SetCommitListener(log::CommitListener listener) override;
  void Close() override;

  // Backs up the whole database (every column family) into `backup_dir` while appends go
  // on; see backup.h. Thread-safe.
  absl::StatusOr<BackupReport> Backup(const std::string& backup_dir);
  // Stops the backups in progress (they answer Unavailable) and refuses later ones; for
  // shutdown. Thread-safe.
  void CancelBackups();

  BufferedAppends buffered_appends() const;

  // Projection state kept in the same database. Lives as long as the log.
  projection::ProjectionStore* projection_store();

  // The log's Merkle tree, leaf bytes and checkpoints. Lives as long as the log.
  audit::AuditStore* audit_store();

 private:
  struct Impl;
  explicit RocksDbEventLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_ROCKSDB_EVENT_LOG_H_
