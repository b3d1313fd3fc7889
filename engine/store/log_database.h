// LogDatabase: the RocksDB instance that holds the log, with its column families.
//
// Owns the DB and its column-family handles. RocksDB is thread-safe, so a LogDatabase may be
// read from any thread; only the AppendWriter writes the log's families.
#ifndef IRM_ENGINE_STORE_LOG_DATABASE_H_
#define IRM_ENGINE_STORE_LOG_DATABASE_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/log/event_log.h"
#include "rocksdb/db.h"

namespace irm::store {

// The end of a stream: its last revision and that event's position.
struct StreamTail {
  uint64_t last_revision = 0;
  uint64_t last_position = 0;
};

class LogDatabase {
 public:
  // Opens (creating if needed) the log in folder `dir`. FailedPrecondition if another
  // process holds it or its format is unknown; DataLoss if RocksDB finds corruption.
  static absl::StatusOr<std::unique_ptr<LogDatabase>> Open(const std::string& dir);
  ~LogDatabase();

  LogDatabase(const LogDatabase&) = delete;
  LogDatabase& operator=(const LogDatabase&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  const std::string& dir() const { return dir_; }
  rocksdb::ColumnFamilyHandle* default_family() const { return default_; }
  rocksdb::ColumnFamilyHandle* events() const { return events_; }
  rocksdb::ColumnFamilyHandle* streams() const { return streams_; }
  rocksdb::ColumnFamilyHandle* ids() const { return ids_; }
  rocksdb::ColumnFamilyHandle* projections() const { return projections_; }
  rocksdb::ColumnFamilyHandle* merkle() const { return merkle_; }
  rocksdb::ColumnFamilyHandle* checkpoints() const { return checkpoints_; }

  // Writes `batch`; every write to the database goes through here. After a failed write
  // RocksDB stops accepting writes (a full disk or an I/O error is a background error), so
  // the next Write first calls DB::Resume(): once space is back, writes go on without a
  // restart. While Resume fails, Write returns its error and writes nothing. Thread-safe.
  rocksdb::Status Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch) const;

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
