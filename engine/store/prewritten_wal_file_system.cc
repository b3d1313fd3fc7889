#include "engine/store/prewritten_wal_file_system.h"

#include <utility>

#include "absl/strings/match.h"

namespace irm::store {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// kZeroChunkBytes of zeros, made once.
const std::string& ZeroChunk() {
  static const std::string* const zeros =
      new std::string(PrewrittenWalFileSystem::kZeroChunkBytes, '\0');
  return *zeros;
}

// A WAL file whose records go at `size_` by positioned writes, over zeros written ahead.
// RocksDB writes a WAL from one thread at a time (its writer holds the log), and may sync it
// from another while no write runs; like the files it wraps, this needs no lock of its own.
class PrewrittenWalFile final : public rocksdb::FSWritableFile {
 public:
  explicit PrewrittenWalFile(std::unique_ptr<rocksdb::FSWritableFile> file)
      : file_(std::move(file)) {}

  ~PrewrittenWalFile() override {
    if (!closed_) Close(IOOptions(), nullptr).PermitUncheckedError();
  }

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    while (size_ + data.size() > zeroed_end_) {
      IOStatus s = file_->PositionedAppend(ZeroChunk(), zeroed_end_, options, dbg);
      if (!s.ok()) return s;
      zeroed_end_ += PrewrittenWalFileSystem::kZeroChunkBytes;
    }
    IOStatus s = file_->PositionedAppend(data, size_, options, dbg);
    if (s.ok()) size_ += data.size();
    return s;
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& /*info*/, IODebugContext* dbg) override {
    return Append(data, options, dbg);
  }
  // Only direct I/O writes by position; WAL files here are buffered.
  IOStatus PositionedAppend(const Slice&, uint64_t, const IOOptions&, IODebugContext*) override {
    return IOStatus::NotSupported("positioned writes into a pre-written WAL file");
  }

  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* dbg) override {
    IOStatus s = file_->Truncate(size, options, dbg);
    if (s.ok()) size_ = zeroed_end_ = size;
    return s;
  }
  // Cuts the zeros off, then closes.
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    closed_ = true;
    IOStatus truncated = file_->Truncate(size_, options, dbg);
    IOStatus s = file_->Close(options, dbg);
    return truncated.ok() ? s : truncated;
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    return file_->Flush(options, dbg);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return file_->Sync(options, dbg);
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return file_->Fsync(options, dbg);
  }
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    return file_->RangeSync(offset, nbytes, options, dbg);
  }
  bool IsSyncThreadSafe() const override { return file_->IsSyncThreadSafe(); }
  bool use_direct_io() const override { return false; }
  size_t GetRequiredBufferAlignment() const override {
    return file_->GetRequiredBufferAlignment();
  }
  void SetWriteLifeTimeHint(rocksdb::Env::WriteLifeTimeHint hint) override {
    file_->SetWriteLifeTimeHint(hint);
  }
  uint64_t GetFileSize(const IOOptions& /*options*/, IODebugContext* /*dbg*/) override {
    return size_;
  }
  // The zeros are the preallocation: RocksDB's fallocate (KEEP_SIZE) would only add work.
  IOStatus Allocate(uint64_t, uint64_t, const IOOptions&, IODebugContext*) override {
    return IOStatus::OK();
  }
  void PrepareWrite(size_t, size_t, const IOOptions&, IODebugContext*) override {}
  IOStatus InvalidateCache(size_t offset, size_t length) override {
    return file_->InvalidateCache(offset, length);
  }
  size_t GetUniqueId(char* id, size_t max_size) const override {
    return file_->GetUniqueId(id, max_size);
  }

 private:
  const std::unique_ptr<rocksdb::FSWritableFile> file_;
  uint64_t size_ = 0;        // bytes RocksDB wrote
  uint64_t zeroed_end_ = 0;  // the file's length on disk: [size_, zeroed_end_) is zeros
  bool closed_ = false;
};

}  // namespace

bool IsWalFileName(const std::string& path) { return absl::EndsWith(path, ".log"); }

PrewrittenWalFileSystem::PrewrittenWalFileSystem(std::shared_ptr<rocksdb::FileSystem> target)
    : FileSystemWrapper(std::move(target)) {}

IOStatus PrewrittenWalFileSystem::NewWritableFile(const std::string& path,
                                                  const rocksdb::FileOptions& options,
                                                  std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                  IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->NewWritableFile(path, options, &file, dbg);
  if (!s.ok()) return s;
  if (IsWalFileName(path) && !options.use_direct_writes) {
    result->reset(new PrewrittenWalFile(std::move(file)));
  } else {
    *result = std::move(file);
  }
  return s;
}

}  // namespace irm::store
