// PrewrittenWalFileSystem: a RocksDB FileSystem that writes zeros ahead of each write-ahead
// log file's end, so that the log's records overwrite blocks already on the disk.
//
// Why: every append is acknowledged after an fsync of the WAL. When that write makes the
// file longer, fdatasync must also commit the new size through the file system's journal;
// when it overwrites blocks the file already has, it flushes only the data. On this
// project's machines (ext4, virtio) that is ~176 µs against ~130 µs at p50 per synced write
// (docs/performance.md, "The pre-written WAL"). PostgreSQL pre-writes its WAL segments for
// the same reason. fallocate does not help: unwritten extents turn written on the first
// write, which is a journalled change too.
//
// Contract:
// - Only WAL files (names ending in ".log", created with NewWritableFile) are affected;
//   every other call goes to the wrapped file system unchanged.
// - A WAL file's bytes [0, size) are exactly what RocksDB appended. Before a write would
//   pass the zeroed end, the file is extended by kZeroChunkBytes of zeros, through the
//   wrapped file (so a FaultFileSystem below sees every write and sync). Close cuts the
//   file back to its size.
// - After a crash a WAL may end in zeros. RocksDB's log reader skips zero-filled blocks
//   silently (it reads them as the zero-length padding records its format allows), in
//   every recovery mode, so recovery replays every synced record and nothing else
//   (tests: prewritten_wal_file_system_test.cc, and the kill -9 crash tests).
// - GetFileSize answers the size RocksDB wrote, not the file's length on disk.
// - Threads: the file system holds no mutable state; a WAL file's state is used only by the
//   RocksDB writer that owns the file, which RocksDB serializes under its own locks.
#ifndef IRM_ENGINE_STORE_PREWRITTEN_WAL_FILE_SYSTEM_H_
#define IRM_ENGINE_STORE_PREWRITTEN_WAL_FILE_SYSTEM_H_

#include <cstdint>
#include <memory>
#include <string>

#include "rocksdb/file_system.h"

namespace irm::store {

class PrewrittenWalFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  // How far ahead of a WAL's end zeros are written, at once: one write and one slower
  // fsync per ~1,700 appends of ~600 B.
  static constexpr uint64_t kZeroChunkBytes = 1 << 20;

  explicit PrewrittenWalFileSystem(
      std::shared_ptr<rocksdb::FileSystem> target = rocksdb::FileSystem::Default());

  static const char* kClassName() { return "PrewrittenWalFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& path, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
};

// True for the names RocksDB gives write-ahead log files ("000123.log").
bool IsWalFileName(const std::string& path);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_PREWRITTEN_WAL_FILE_SYSTEM_H_
