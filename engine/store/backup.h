// Online backups of the whole log database and restores into a new data folder.
//
// A backup is taken with RocksDB's BackupEngine while the database keeps serving appends:
// file deletions are paused, the live SST files, MANIFEST and the write-ahead log are copied,
// so every column family (events, streams, ids, projections) is captured at one consistent
// point; each append group is one WriteBatch, so an append is either wholly in the backup
// or not at all. A backup folder may hold several backups; a restore takes the newest one.
// Every backup is verified (file sizes and checksums) right after it is written.
//
// Thread-safe as far as RocksDB is: CreateBackup may run while other threads read and write.
#ifndef IRM_ENGINE_STORE_BACKUP_H_
#define IRM_ENGINE_STORE_BACKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/mutex.h"
namespace irm::store {

class LogDatabase;  // log_database.h; this header stays free of RocksDB headers

// Stops backups in progress from another thread (irmd's shutdown): each answers
// Unavailable soon after Cancel(), and later ones are refused. Thread-safe.
class BackupCanceller {
 public:
  void Cancel();
  // For CreateBackup: registers a running backup engine (false, nothing registered, once
  // cancelled) and forgets it; `engine` is a rocksdb::BackupEngine.
  bool Register(void* engine);
  void Unregister(void* engine);
  bool cancelled() const;

 private:
  mutable common::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<void*> running_ ABSL_GUARDED_BY(mu_);
};

struct BackupReport {
  uint32_t backup_id = 0;       // numbered from 1 within the backup folder
  uint64_t size_bytes = 0;      // payload of the files this backup uses
  uint32_t files = 0;
  uint64_t head_at_start = 0;   // the backup holds at least positions 1..head_at_start
  uint32_t backups_in_folder = 0;
};

// Backs up `database` into folder `backup_dir` (created if needed). `head` is the durable
// head when the call starts, recorded as the backup's metadata. InvalidArgument for an
// empty or relative folder name; ResourceExhausted when the backup disk is full; DataLoss
// if the written backup does not verify; Unavailable if `canceller` (may be null) cancelled
// it (the partial backup is not kept).
absl::StatusOr<BackupReport> CreateBackup(LogDatabase* database, const std::string& backup_dir,
                                          uint64_t head, BackupCanceller* canceller = nullptr);

// Restores the newest backup of `backup_dir` into `data_dir`, which must be absent or an
// empty folder (FailedPrecondition otherwise: a restore never overwrites a log). NotFound if
// `backup_dir` holds no backup; DataLoss if the backup's files do not verify.
absl::StatusOr<BackupReport> RestoreLatestBackup(const std::string& backup_dir,
                                                 const std::string& data_dir);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_BACKUP_H_
