// FaultFileSystem: a RocksDB FileSystem that fails chosen operations on demand (tests only).
//
// Debian's release RocksDB has no sync points, so this wrapper is the seam through which tests
// make the disk misbehave under a real log: it forwards every call to the real file system
// (FileSystem::Default() unless given another) and, while a fault is armed, answers the
// matching operation with an IOError instead of doing it:
//   kWrite   Append / PositionedAppend of a file opened for writing (nothing is written)
//   kSync    Sync / Fsync / RangeSync of such a file, and Fsync of a directory (the data
//            written before stays in the file: as after a real failed fsync, it may or may
//            not be on the disk)
//   kRename  RenameFile, matched against "SRC -> TARGET" (RocksDB installs CURRENT by
//            renaming; BackupEngine its backups)
//   kRead    Read / PositionedRead / MultiRead of files opened for reading
// A fault applies to paths matching an fnmatch(3) pattern whose `*` also matches `/`
// ("*.log": the write-ahead log; "*MANIFEST*"; "*.sst"; "/path/backup/*"; "" or "*": every
// path), fails the next `times` matching operations (kUntilDisarmed: all of them until
// Disarm), then disarms itself. The error message names the operation and the path, and
// says it was injected, so a test can check that the error a caller sees names what failed.
//
// Attach it to a log with LogDatabaseOpenOptions::file_system (log_database.h) or
// RocksDbEventLogOptions::file_system. Thread-safe: RocksDB calls it from its own threads
// while the test arms and disarms it. Linked into tests only (irm::engine_store_testing).
#ifndef IRM_ENGINE_STORE_FAULT_FILE_SYSTEM_H_
#define IRM_ENGINE_STORE_FAULT_FILE_SYSTEM_H_

#include <array>
#include <memory>
#include <string>

#include "engine/common/mutex.h"
#include "rocksdb/file_system.h"

namespace irm::store {

enum class FaultKind { kWrite = 0, kSync = 1, kRename = 2, kRead = 3 };

// "write", "fsync", "rename", "read".
const char* FaultKindName(FaultKind kind);

class FaultFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  static constexpr int kUntilDisarmed = -1;

  explicit FaultFileSystem(
      std::shared_ptr<rocksdb::FileSystem> target = rocksdb::FileSystem::Default());

  // Arms `kind` for paths matching `pattern`: the next `times` matching operations fail
  // (kUntilDisarmed: every one until Disarm). Replaces an earlier arming of `kind`. A
  // `retryable` error is marked so (IOStatus::SetRetryable), as some file systems do for
  // transient trouble; RocksDB then lets DB::Resume() recover from it, where a plain
  // IOError (a local disk's EIO) stops the database's writes until it is reopened.
  void Arm(FaultKind kind, std::string pattern, int times = 1, bool retryable = false);
  void Disarm(FaultKind kind);
  void DisarmAll();
  // How many operations of `kind` failed so far (across armings), and the path of the last.
  int injected(FaultKind kind) const;
  std::string last_path(FaultKind kind) const;

  // An IOError naming `kind` and `path` if an armed fault matches (and counts it down);
  // OK otherwise. The wrapped files call it before each operation.
  rocksdb::IOStatus MaybeFail(FaultKind kind, const std::string& path);

  static const char* kClassName() { return "IrmFaultFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewSequentialFile(const std::string& f, const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSSequentialFile>* r,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomAccessFile(const std::string& f,
                                        const rocksdb::FileOptions& options,
                                        std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
                                        rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old_f,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* r,
                                 rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& src, const std::string& target,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

 private:
  struct Fault {
    std::string pattern;
    int remaining = 0;  // kUntilDisarmed, or how many more to fail; 0: disarmed
    bool retryable = false;
    int injected = 0;
    std::string last_path;
  };

  mutable common::Mutex mu_;
  std::array<Fault, 4> faults_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_FAULT_FILE_SYSTEM_H_
