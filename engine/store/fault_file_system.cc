#include "engine/store/fault_file_system.h"

#include <fnmatch.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace irm::store {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// The armed fault of `kind` for `path` if there is one, else what `forward` (the wrapped
// file's own operation) returns.
template <typename Forward>
IOStatus FailOr(FaultFileSystem* fs, FaultKind kind, const std::string& path, Forward forward) {
  IOStatus injected = fs->MaybeFail(kind, path);
  return injected.ok() ? forward() : injected;
}

class FaultSequentialFile final : public rocksdb::FSSequentialFileOwnerWrapper {
 public:
  FaultSequentialFile(std::unique_ptr<rocksdb::FSSequentialFile> file, FaultFileSystem* fs,
                      std::string path)
      : FSSequentialFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)) {}

  IOStatus Read(size_t n, const IOOptions& options, Slice* result, char* scratch,
                IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kRead, path_, [&] {
      return FSSequentialFileOwnerWrapper::Read(n, options, result, scratch, dbg);
    });
  }
  IOStatus PositionedRead(uint64_t offset, size_t n, const IOOptions& options, Slice* result,
                          char* scratch, IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kRead, path_, [&] {
      return FSSequentialFileOwnerWrapper::PositionedRead(offset, n, options, result, scratch, dbg);
    });
  }

 private:
  FaultFileSystem* const fs_;
  const std::string path_;
};

class FaultRandomAccessFile final : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  FaultRandomAccessFile(std::unique_ptr<rocksdb::FSRandomAccessFile> file, FaultFileSystem* fs,
                        std::string path)
      : FSRandomAccessFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)) {}

  IOStatus Read(uint64_t offset, size_t n, const IOOptions& options, Slice* result, char* scratch,
                IODebugContext* dbg) const override {
    return FailOr(fs_, FaultKind::kRead, path_, [&] {
      return FSRandomAccessFileOwnerWrapper::Read(offset, n, options, result, scratch, dbg);
    });
  }
  IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs, const IOOptions& options,
                     IODebugContext* dbg) override {
    IOStatus s = fs_->MaybeFail(FaultKind::kRead, path_);
    if (!s.ok()) {
      for (size_t i = 0; i < num_reqs; ++i) reqs[i].status = s;
      return s;
    }
    return FSRandomAccessFileOwnerWrapper::MultiRead(reqs, num_reqs, options, dbg);
  }

 private:
  FaultFileSystem* const fs_;
  const std::string path_;
};

class FaultWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultWritableFile(std::unique_ptr<rocksdb::FSWritableFile> file, FaultFileSystem* fs,
                    std::string path)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)) {}

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kWrite, path_,
                  [&] { return FSWritableFileOwnerWrapper::Append(data, options, dbg); });
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kWrite, path_,
                  [&] { return FSWritableFileOwnerWrapper::Append(data, options, info, dbg); });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kWrite, path_, [&] {
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, dbg);
    });
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info,
                            IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kWrite, path_, [&] {
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, info, dbg);
    });
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kSync, path_,
                  [&] { return FSWritableFileOwnerWrapper::Sync(options, dbg); });
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kSync, path_,
                  [&] { return FSWritableFileOwnerWrapper::Fsync(options, dbg); });
  }
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const IOOptions& options,
                     IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kSync, path_, [&] {
      return FSWritableFileOwnerWrapper::RangeSync(offset, nbytes, options, dbg);
    });
  }

 private:
  FaultFileSystem* const fs_;
  const std::string path_;
};

class FaultDirectory final : public rocksdb::FSDirectoryWrapper {
 public:
  FaultDirectory(std::unique_ptr<rocksdb::FSDirectory> dir, FaultFileSystem* fs, std::string path)
      : FSDirectoryWrapper(std::move(dir)), fs_(fs), path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    return FailOr(fs_, FaultKind::kSync, path_,
                  [&] { return FSDirectoryWrapper::Fsync(options, dbg); });
  }
  IOStatus FsyncWithDirOptions(const IOOptions& options, IODebugContext* dbg,
                               const rocksdb::DirFsyncOptions& dir_options) override {
    return FailOr(fs_, FaultKind::kSync, path_, [&] {
      return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, dir_options);
    });
  }

 private:
  FaultFileSystem* const fs_;
  const std::string path_;
};

// Opens a file or folder with `open` (the wrapped file system's own call, into its
// argument) and, when that succeeds, hands `*result` a `Wrapper` that injects faults for it.
template <typename Wrapper, typename Base, typename Open>
IOStatus Wrap(FaultFileSystem* fs, const std::string& path, std::unique_ptr<Base>* result,
              Open open) {
  std::unique_ptr<Base> opened;
  IOStatus s = open(&opened);
  if (s.ok()) result->reset(new Wrapper(std::move(opened), fs, path));
  return s;
}

bool Matches(const std::string& pattern, const std::string& path) {
  return pattern.empty() || fnmatch(pattern.c_str(), path.c_str(), 0) == 0;
}

}  // namespace

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kWrite:
      return "write";
    case FaultKind::kSync:
      return "fsync";
    case FaultKind::kRename:
      return "rename";
    case FaultKind::kRead:
      return "read";
  }
  return "?";
}

FaultFileSystem::FaultFileSystem(std::shared_ptr<rocksdb::FileSystem> target)
    : FileSystemWrapper(std::move(target)) {}

void FaultFileSystem::Arm(FaultKind kind, std::string pattern, int times, bool retryable) {
  common::MutexLock lock(&mu_);
  Fault& fault = faults_[static_cast<int>(kind)];
  fault.pattern = std::move(pattern);
  fault.remaining = times;
  fault.retryable = retryable;
}

void FaultFileSystem::Disarm(FaultKind kind) {
  common::MutexLock lock(&mu_);
  faults_[static_cast<int>(kind)].remaining = 0;
}

void FaultFileSystem::DisarmAll() {
  common::MutexLock lock(&mu_);
  for (Fault& fault : faults_) fault.remaining = 0;
}

int FaultFileSystem::injected(FaultKind kind) const {
  common::MutexLock lock(&mu_);
  return faults_[static_cast<int>(kind)].injected;
}

std::string FaultFileSystem::last_path(FaultKind kind) const {
  common::MutexLock lock(&mu_);
  return faults_[static_cast<int>(kind)].last_path;
}

IOStatus FaultFileSystem::MaybeFail(FaultKind kind, const std::string& path) {
  bool retryable = false;
  {
    common::MutexLock lock(&mu_);
    Fault& fault = faults_[static_cast<int>(kind)];
    if (fault.remaining == 0 || !Matches(fault.pattern, path)) return IOStatus::OK();
    if (fault.remaining > 0) --fault.remaining;
    ++fault.injected;
    fault.last_path = path;
    retryable = fault.retryable;
  }
  IOStatus s =
      IOStatus::IOError(absl::StrCat("injected ", FaultKindName(kind), " fault on ", path));
  s.SetRetryable(retryable);
  return s;
}

IOStatus FaultFileSystem::NewSequentialFile(const std::string& f,
                                            const rocksdb::FileOptions& options,
                                            std::unique_ptr<rocksdb::FSSequentialFile>* r,
                                            IODebugContext* dbg) {
  return Wrap<FaultSequentialFile>(this, f, r,
                                   [&](std::unique_ptr<rocksdb::FSSequentialFile>* opened) {
                                     return target()->NewSequentialFile(f, options, opened, dbg);
                                   });
}

IOStatus FaultFileSystem::NewRandomAccessFile(const std::string& f,
                                              const rocksdb::FileOptions& options,
                                              std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
                                              IODebugContext* dbg) {
  return Wrap<FaultRandomAccessFile>(
      this, f, r, [&](std::unique_ptr<rocksdb::FSRandomAccessFile>* opened) {
        return target()->NewRandomAccessFile(f, options, opened, dbg);
      });
}

IOStatus FaultFileSystem::NewWritableFile(const std::string& f, const rocksdb::FileOptions& options,
                                          std::unique_ptr<rocksdb::FSWritableFile>* r,
                                          IODebugContext* dbg) {
  return Wrap<FaultWritableFile>(this, f, r, [&](std::unique_ptr<rocksdb::FSWritableFile>* opened) {
    return target()->NewWritableFile(f, options, opened, dbg);
  });
}

IOStatus FaultFileSystem::ReopenWritableFile(const std::string& f,
                                             const rocksdb::FileOptions& options,
                                             std::unique_ptr<rocksdb::FSWritableFile>* r,
                                             IODebugContext* dbg) {
  return Wrap<FaultWritableFile>(this, f, r, [&](std::unique_ptr<rocksdb::FSWritableFile>* opened) {
    return target()->ReopenWritableFile(f, options, opened, dbg);
  });
}

IOStatus FaultFileSystem::ReuseWritableFile(const std::string& f, const std::string& old_f,
                                            const rocksdb::FileOptions& options,
                                            std::unique_ptr<rocksdb::FSWritableFile>* r,
                                            IODebugContext* dbg) {
  return Wrap<FaultWritableFile>(this, f, r, [&](std::unique_ptr<rocksdb::FSWritableFile>* opened) {
    return target()->ReuseWritableFile(f, old_f, options, opened, dbg);
  });
}

IOStatus FaultFileSystem::NewDirectory(const std::string& name, const IOOptions& options,
                                       std::unique_ptr<rocksdb::FSDirectory>* r,
                                       IODebugContext* dbg) {
  return Wrap<FaultDirectory>(this, name, r, [&](std::unique_ptr<rocksdb::FSDirectory>* opened) {
    return target()->NewDirectory(name, options, opened, dbg);
  });
}

IOStatus FaultFileSystem::RenameFile(const std::string& src, const std::string& target_name,
                                     const IOOptions& options, IODebugContext* dbg) {
  // The pattern sees "SRC -> TARGET", so "*CURRENT*" matches RocksDB installing CURRENT.
  IOStatus s = MaybeFail(FaultKind::kRename, absl::StrCat(src, " -> ", target_name));
  if (!s.ok()) return s;
  return target()->RenameFile(src, target_name, options, dbg);
}

}  // namespace irm::store
