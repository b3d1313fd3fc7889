#include "engine/store/backup.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "engine/common/quote.h"
#include "engine/store/log_database.h"
#include "engine/store/rocksdb_status.h"
#include "rocksdb/env.h"
#include "rocksdb/utilities/backup_engine.h"

namespace irm::store {
namespace {

constexpr char kHeadMetadataPrefix[] = "irm-head=";

absl::Status CheckFolderName(const std::string& dir, absl::string_view what) {
  if (dir.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("the ", what, " folder is empty; give an absolute path"));
  }
  if (dir.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", what, " folder ", common::Quote(dir),
                     " is relative; give an absolute path on the server's machine"));
  }
  return absl::OkStatus();
}

// IOStatus is a Status; a corrupt backup is data loss, a full disk is resource exhaustion.
absl::Status FromBackupStatus(const rocksdb::IOStatus& s, absl::string_view context) {
  return FromRocksDb(s, context);
}

BackupReport ReportOf(const rocksdb::BackupInfo& info, uint32_t backups) {
  BackupReport report;
  report.backup_id = info.backup_id;
  report.size_bytes = info.size;
  report.files = info.number_files;
  report.backups_in_folder = backups;
  absl::string_view metadata = info.app_metadata;
  if (absl::ConsumePrefix(&metadata, kHeadMetadataPrefix)) {
    (void)absl::SimpleAtoi(metadata, &report.head_at_start);
  }
  return report;
}

}  // namespace

void BackupCanceller::Cancel() {
  common::MutexLock lock(&mu_);
  cancelled_ = true;
  for (void* engine : running_) static_cast<rocksdb::BackupEngine*>(engine)->StopBackup();
}

bool BackupCanceller::Register(void* engine) {
  common::MutexLock lock(&mu_);
  if (cancelled_) return false;
  running_.push_back(engine);
  return true;
}

void BackupCanceller::Unregister(void* engine) {
  common::MutexLock lock(&mu_);
  running_.erase(std::remove(running_.begin(), running_.end(), engine), running_.end());
}

bool BackupCanceller::cancelled() const {
  common::MutexLock lock(&mu_);
  return cancelled_;
}

absl::StatusOr<BackupReport> CreateBackup(LogDatabase* database, const std::string& backup_dir,
                                          uint64_t head, BackupCanceller* canceller) {
  if (absl::Status s = CheckFolderName(backup_dir, "backup"); !s.ok()) return s;
  rocksdb::BackupEngineOptions options(backup_dir);
  options.share_table_files = true;
  options.sync = true;
  rocksdb::BackupEngine* raw = nullptr;
  // The database's Env: its file system also writes the backup (a test's faults reach it).
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(options, database->env(), &raw);
  if (!s.ok()) return FromBackupStatus(s, absl::StrCat("opening the backup folder ", backup_dir));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  const absl::Status stopping = absl::UnavailableError(absl::StrCat(
      "irmd is stopping: the backup into ", backup_dir,
      " was stopped before it finished and is not kept; run it again after irmd restarts"));
  if (canceller != nullptr && !canceller->Register(engine.get())) return stopping;

  rocksdb::CreateBackupOptions create;
  // Copy the write-ahead log instead of flushing: with several column families and no
  // atomic flush, the WAL is what makes the copy consistent across families.
  create.flush_before_backup = false;
  rocksdb::BackupID id = 0;
  s = engine->CreateNewBackupWithMetadata(create, database->db(),
                                          absl::StrCat(kHeadMetadataPrefix, head), &id);
  if (canceller != nullptr) {
    canceller->Unregister(engine.get());
    if (canceller->cancelled() && !s.ok()) return stopping;
  }
  if (!s.ok()) return FromBackupStatus(s, absl::StrCat("writing a backup into ", backup_dir));
  s = engine->VerifyBackup(id, /*verify_with_checksum=*/true);
  if (!s.ok()) {
    return absl::DataLossError(absl::StrCat("backup ", id, " in ", backup_dir,
                                            " does not verify after writing: ", s.ToString()));
  }
  rocksdb::BackupInfo info;
  rocksdb::Status got = engine->GetBackupInfo(id, &info);
  if (!got.ok()) return FromRocksDb(got, "reading the new backup's description");
  std::vector<rocksdb::BackupInfo> all;
  engine->GetBackupInfo(&all);
  return ReportOf(info, static_cast<uint32_t>(all.size()));
}

absl::StatusOr<BackupReport> RestoreLatestBackup(const std::string& backup_dir,
                                                 const std::string& data_dir) {
  if (absl::Status s = CheckFolderName(backup_dir, "backup"); !s.ok()) return s;
  std::error_code error;
  if (!std::filesystem::is_directory(backup_dir, error)) {
    return absl::NotFoundError(absl::StrCat("the backup folder ", backup_dir, " does not exist"));
  }
  if (std::filesystem::exists(data_dir, error) &&
      !std::filesystem::is_empty(data_dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the data folder ", data_dir,
        " is not empty; restore only into a new or empty folder (a restore never overwrites a log)"));
  }
  rocksdb::BackupEngineOptions options(backup_dir);
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  rocksdb::IOStatus s =
      rocksdb::BackupEngineReadOnly::Open(options, rocksdb::Env::Default(), &raw);
  if (!s.ok()) return FromBackupStatus(s, absl::StrCat("opening the backup folder ", backup_dir));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);

  std::vector<rocksdb::BackupInfo> all;
  engine->GetBackupInfo(&all);
  if (all.empty()) {
    return absl::NotFoundError(absl::StrCat("the folder ", backup_dir,
                                            " holds no backup; make one with `irm admin backup DIR`"));
  }
  const rocksdb::BackupInfo& latest = all.back();
  s = engine->VerifyBackup(latest.backup_id, /*verify_with_checksum=*/true);
  if (!s.ok()) {
    return absl::DataLossError(absl::StrCat("backup ", latest.backup_id, " in ", backup_dir,
                                            " is damaged: ", s.ToString()));
  }
  std::filesystem::create_directories(data_dir, error);
  s = engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), latest.backup_id, data_dir,
                                  data_dir);
  if (!s.ok()) {
    return FromBackupStatus(s, absl::StrCat("restoring backup ", latest.backup_id, " into ", data_dir));
  }
  return ReportOf(latest, static_cast<uint32_t>(all.size()));
}

}  // namespace irm::store
