// LogDatabase: the RocksDB instance that holds the log, with its column families.
//
// Owns the DB and its column-family handles. RocksDB is thread-safe, so a LogDatabase may be
// read from any thread. Every write goes through Write(). Who writes what:
//   - the log's families (events, streams, ids, merkle, the head marker in default): only the
//     AppendWriter, one commit group at a time; TreeWriter's backfill writes merkle at open,
//     before the AppendWriter starts;
//   - checkpoints (signed checkpoints and signers' public keys): only the RocksDbAuditStore,
//     for the Checkpointer, which serializes them;
//   - projections: only the RocksDbProjectionStore, for the ProjectionRunner.
// The AppendWriter's decisions read only the log's families, and the other two writers
// never write them, so their writes need no ordering with commit groups: they do not go
// through the AppendWriter's queue. What they share is the database's state after a failed
// write, which Write() handles for all of them (Recover).
#ifndef IRM_ENGINE_STORE_LOG_DATABASE_H_
#define IRM_ENGINE_STORE_LOG_DATABASE_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/common/mutex.h"
#include "engine/log/event_log.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace irm::store {

// The end of a stream: its last revision and that event's position.
struct StreamTail {
  uint64_t last_revision = 0;
  uint64_t last_position = 0;
};

struct LogDatabaseOpenOptions {
  // The file system RocksDB reads and writes through; null: the real one. Tests pass a
  // FaultFileSystem (fault_file_system.h) to fail writes, fsyncs, renames or reads.
  std::shared_ptr<rocksdb::FileSystem> file_system;
};

class LogDatabase {
 public:
  // Opens (creating if needed) the log in folder `dir`. FailedPrecondition if another
  // process holds it or its format is unknown; DataLoss if RocksDB finds corruption;
  // Unavailable for other I/O errors, naming the file.
  static absl::StatusOr<std::unique_ptr<LogDatabase>> Open(
      const std::string& dir, const LogDatabaseOpenOptions& options = LogDatabaseOpenOptions());
  ~LogDatabase();

  LogDatabase(const LogDatabase&) = delete;
  LogDatabase& operator=(const LogDatabase&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  // The Env the database runs on (its file system); BackupEngine copies through it.
  rocksdb::Env* env() const;
  const std::string& dir() const { return dir_; }
  rocksdb::ColumnFamilyHandle* default_family() const { return default_; }
  rocksdb::ColumnFamilyHandle* events() const { return events_; }
  rocksdb::ColumnFamilyHandle* streams() const { return streams_; }
  rocksdb::ColumnFamilyHandle* ids() const { return ids_; }
  rocksdb::ColumnFamilyHandle* projections() const { return projections_; }
  rocksdb::ColumnFamilyHandle* merkle() const { return merkle_; }
  rocksdb::ColumnFamilyHandle* checkpoints() const { return checkpoints_; }

  // Writes `batch`; every write to the database goes through here (the AppendWriter's
  // commit groups, the Merkle backfill at open, checkpoints and keys, projection commits).
  // After a failed write RocksDB stops accepting writes (a full disk or an I/O error is a
  // background error), so the next Write first calls Recover(). Thread-safe.
  rocksdb::Status Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch) const;

  // If a write failed since the last one that succeeded, calls DB::Resume(): after a
  // retryable error (a full disk that has space again, a file system's transient trouble)
  // writes go on without a restart. RocksDB 7.8 treats a plain I/O error on the write-ahead
  // log (a local disk's EIO on write or fsync) as fatal: Resume fails, and so does this,
  // with an IOError saying to fix the disk and restart irmd. OK if no write failed.
  rocksdb::Status Recover() const;

  // The position of the last event stored, 0 if none. Verifies that record decodes.
  absl::StatusOr<uint64_t> LastPosition() const;

  // The tail of `stream` among its events at positions up to `max_position`, or nullopt if
  // it has none there. Readers pass the head they report: a group RocksDB has published but
  // whose head has not advanced yet is not theirs to see (its entries are skipped, at most
  // one group's worth).
  absl::StatusOr<std::optional<StreamTail>> FindStreamTail(
      absl::string_view stream, uint64_t max_position = UINT64_MAX) const;

  // The position of the event with 16-byte id `id`, or nullopt.
  absl::StatusOr<std::optional<uint64_t>> FindPositionOfId(absl::string_view id) const;

  // The event at `position`. NotFound if there is none; DataLoss if its bytes do not decode
  // to an event at that position.
  absl::StatusOr<log::EventRecord> ReadEvent(uint64_t position) const;

 private:
  LogDatabase() = default;

  std::string dir_;
  mutable std::atomic<bool> write_failed_{false};
#ifdef IRM_TSAN
  // ThreadSanitizer build only: see Write.
  mutable common::Mutex tsan_write_mu_;
#endif
  std::unique_ptr<rocksdb::Env> env_;  // a custom file system's Env; outlives db_
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_ = nullptr;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* ids_ = nullptr;
  rocksdb::ColumnFamilyHandle* projections_ = nullptr;
  rocksdb::ColumnFamilyHandle* merkle_ = nullptr;
  rocksdb::ColumnFamilyHandle* checkpoints_ = nullptr;
};

// Decodes stored bytes as the event at `position`. DataLoss if they do not parse or name
// another position.
absl::StatusOr<log::EventRecord> DecodeRecord(uint64_t position, absl::string_view bytes);

// The canonical bytes of `record`: deterministic protobuf serialization.
std::string EncodeRecord(const log::EventRecord& record);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_LOG_DATABASE_H_
