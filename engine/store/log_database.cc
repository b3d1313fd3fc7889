#include "engine/store/log_database.h"

#include <filesystem>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/store/family_options.h"
#include "engine/store/keys.h"
#include "engine/store/prewritten_wal_file_system.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace irm::store {
namespace {

// True if `dir` is absent or empty. DataLoss if it holds files but no CURRENT file.
absl::StatusOr<bool> IsFreshFolder(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) return true;
  if (std::filesystem::is_empty(dir, error)) return true;
  if (std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", error)) return false;
  // Without CURRENT, a folder holding no table (.sst) and no write-ahead log (.log) is a
  // creation that was interrupted before anything was written: start it afresh.
  bool holds_data = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".sst" || ext == ".log") holds_data = true;
  }
  if (!holds_data) return true;
  return absl::DataLossError(absl::StrCat(
      "the data folder ", dir, " holds files but no CURRENT file, so the log's MANIFEST "
      "cannot be found: the folder is damaged or not an irm log; restore it from a backup "
      "(irmd --restore-from) or choose an empty folder"));
}

// A failed open: a lock held by another process stays FailedPrecondition; missing or
// damaged files (SST, MANIFEST, CURRENT) are DataLoss, named as RocksDB names them.
absl::Status OpenFailure(const rocksdb::Status& s, const std::string& dir) {
  const std::string detail = s.ToString();
  const bool missing_file = (s.IsIOError() || s.IsPathNotFound()) &&
                            (absl::StrContains(detail, "No such file") ||
                             absl::StrContains(detail, "not found") || s.IsPathNotFound());
  if (s.IsCorruption() || missing_file) {
    return absl::DataLossError(absl::StrCat(
        "the data folder ", dir, " is damaged and irmd will not serve a partial log: ", detail,
        "; restore it from a backup (irmd --restore-from)"));
  }
  return FromRocksDb(s, absl::StrCat("opening the log in ", dir));
}

}  // namespace

absl::StatusOr<std::unique_ptr<LogDatabase>> LogDatabase::Open(const std::string& dir,
                                                             const LogDatabaseOpenOptions& open) {
  IRM_ASSIGN_OR_RETURN(const bool fresh, IsFreshFolder(dir));
  // WAL files are written over zeros written ahead (prewritten_wal_file_system.h): a synced
  // append then flushes data only, not the file's new size.
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(
      std::make_shared<PrewrittenWalFileSystem>(open.file_system != nullptr
                                                    ? open.file_system
                                                    : rocksdb::FileSystem::Default()));
  rocksdb::DBOptions options = LogDatabaseOptions();
  options.env = env.get();
  // Only an empty folder becomes a new log: a folder with files but no CURRENT lost its
  // history, and RocksDB would otherwise start an empty log over it.
  options.create_if_missing = fresh;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  // Acknowledged writes were fsynced; after a crash, recover every complete write and stop
  // at the first torn record of the WAL tail.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.max_background_jobs = 2;
  options.keep_log_file_num = 4;
  // No background auto-resume after a retryable error: Write() resumes before the next
  // write (Recover), so recovery happens when a write needs it, not while a write waits.
  options.max_bgerror_resume_count = 0;

  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {kEventsFamily, rocksdb::ColumnFamilyOptions()},
      {kStreamsFamily, StreamsFamilyOptions()},
      {kIdsFamily, IdsFamilyOptions()},
      {kProjectionsFamily, rocksdb::ColumnFamilyOptions()},
      {kMerkleFamily, rocksdb::ColumnFamilyOptions()},  // created in older folders on open
      {kCheckpointsFamily, rocksdb::ColumnFamilyOptions()},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, families, &handles, &raw);
  if (!s.ok()) return OpenFailure(s, dir);

  auto database = std::unique_ptr<LogDatabase>(new LogDatabase());
  database->env_ = std::move(env);
  database->db_.reset(raw);
  database->dir_ = dir;
  database->default_ = handles[0];
  database->events_ = handles[1];
  database->streams_ = handles[2];
  database->ids_ = handles[3];
  database->projections_ = handles[4];
  database->merkle_ = handles[5];
  database->checkpoints_ = handles[6];

  std::string format;
  s = raw->Get(rocksdb::ReadOptions(), database->default_, kFormatKey, &format);
  if (s.IsNotFound() && !fresh) {
    return absl::DataLossError(absl::StrCat(
        "the data folder ", dir, " holds a database without the log's format marker: it is "
        "damaged or not an irm log; restore it from a backup (irmd --restore-from)"));
  }
  if (s.IsNotFound()) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    s = raw->Put(sync, database->default_, kFormatKey, kFormatVersion);
    if (!s.ok()) return FromRocksDb(s, "writing the log's format marker");
  } else if (!s.ok()) {
    return FromRocksDb(s, "reading the log's format marker");
  } else if (format != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the data folder ", dir, " holds log format '", format, "'; this irmd reads format ",
        kFormatVersion));
  }
  return database;
}

LogDatabase::~LogDatabase() {
  if (!db_) return;
  for (auto* handle : {default_, events_, streams_, ids_, projections_, merkle_, checkpoints_}) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close();
}

rocksdb::Env* LogDatabase::env() const {
  return env_ != nullptr ? env_.get() : rocksdb::Env::Default();
}

rocksdb::Status LogDatabase::Recover() const {
  if (!write_failed_.load(std::memory_order_acquire)) return rocksdb::Status::OK();
  rocksdb::Status resumed = db_->Resume();
  if (!resumed.ok()) {
    return rocksdb::Status::IOError(absl::StrCat(
        "the database stopped taking writes after a disk error and cannot resume in place (",
        resumed.ToString(), "); fix the disk and restart irmd: every acknowledged append is kept"));
  }
  write_failed_.store(false, std::memory_order_release);
  return rocksdb::Status::OK();
}

rocksdb::Status LogDatabase::Write(const rocksdb::WriteOptions& options,
                                   rocksdb::WriteBatch* batch) const {
  if (rocksdb::Status recovered = Recover(); !recovered.ok()) return recovered;
#ifdef IRM_TSAN
  // ThreadSanitizer build only (engine/common/mutex.h): RocksDB joins concurrent writers into
  // one group, handing their batches between threads through atomics of its uninstrumented
  // library, which TSan reports as races; there, writes go one at a time.
  common::MutexLock tsan_serial(&tsan_write_mu_);
#endif
  rocksdb::Status s = db_->Write(options, batch);
  if (!s.ok()) write_failed_.store(true, std::memory_order_release);
  return s;
}

absl::StatusOr<uint64_t> LogDatabase::LastPosition() const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  it->SeekToLast();
  if (!it->status().ok()) return FromRocksDb(it->status(), "finding the end of the log");
  if (!it->Valid()) return 0;
  std::optional<uint64_t> position = DecodeBigEndian64(View(it->key()));
  if (!position.has_value()) {
    return absl::DataLossError("the log's last key is not a position: the data folder is damaged");
  }
  IRM_RETURN_IF_ERROR(DecodeRecord(*position, View(it->value())).status());
  return *position;
}

absl::StatusOr<std::optional<StreamTail>> LogDatabase::FindStreamTail(
    absl::string_view stream, uint64_t max_position) const {
  const std::string prefix = StreamPrefix(stream);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_));
  for (it->SeekForPrev(StreamKey(stream, UINT64_MAX)); it->Valid() && it->key().starts_with(prefix);
       it->Prev()) {
    std::optional<uint64_t> revision =
        DecodeBigEndian64(View(it->key()).substr(prefix.size()));
    std::optional<uint64_t> position = DecodeBigEndian64(View(it->value()));
    if (!revision || !position) {
      return absl::DataLossError(
          absl::StrCat("the stream index entry of ", stream, " is malformed"));
    }
    if (*position > max_position) continue;  // published, not yet at the head
    return std::optional<StreamTail>(StreamTail{*revision, *position});
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "reading the stream index");
  return std::optional<StreamTail>();
}

absl::StatusOr<std::optional<uint64_t>> LogDatabase::FindPositionOfId(
    absl::string_view id) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), ids_, ToSlice(id), &value);
  if (s.IsNotFound()) return std::optional<uint64_t>();
  if (!s.ok()) return FromRocksDb(s, "reading the event id index");
  std::optional<uint64_t> position = DecodeBigEndian64(value);
  if (!position) return absl::DataLossError("an event id index entry is malformed");
  return position;
}

absl::StatusOr<log::EventRecord> LogDatabase::ReadEvent(uint64_t position) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), events_, EncodeBigEndian64(position), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no event at position ", position));
  }
  if (!s.ok()) return FromRocksDb(s, absl::StrCat("reading the event at position ", position));
  return DecodeRecord(position, value);
}

absl::StatusOr<log::EventRecord> DecodeRecord(uint64_t position, absl::string_view bytes) {
  log::EventRecord record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("the event stored at position ", position, " does not decode"));
  }
  if (record.position() != position) {
    return absl::DataLossError(absl::StrCat("the event stored at position ", position,
                                            " says it is at position ", record.position()));
  }
  return record;
}

std::string EncodeRecord(const log::EventRecord& record) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    record.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace irm::store
