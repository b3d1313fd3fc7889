// AdminService::Backup: the online backup RPC (see admin.proto and engine/store/backup.h).
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "services/admin/admin_service.h"
#include "services/server/grpc_status.h"

namespace irm::services {
namespace {

constexpr size_t kMaxBackupDirBytes = 4096;  // PATH_MAX

// One backup at a time: RocksDB's BackupEngine must not write one folder twice at once,
// and two copies of the log at once would only compete for the disk.
std::mutex backup_mutex;

absl::Status ValidateBackupDir(const std::string& dir) {
  constexpr char kReason[] = "INVALID_BACKUP_DIR";
  if (dir.empty()) {
    return common::InvalidField(
        "dir", kReason, "backup: dir is empty; give an absolute folder path on the server's machine");
  }
  if (dir.size() > kMaxBackupDirBytes) {
    return common::InvalidField("dir", kReason,
                                absl::StrCat("backup: dir is ", dir.size(), " bytes long; at most ",
                                             kMaxBackupDirBytes),
                                {{"limit", absl::StrCat(kMaxBackupDirBytes)},
                                 {"length", absl::StrCat(dir.size())}});
  }
  if (dir.front() != '/') {
    return common::InvalidField(
        "dir", kReason,
        absl::StrCat("backup: dir ", common::Quote(dir),
                     " is relative; give an absolute path on the server's machine"));
  }
  if (dir.find('\0') != std::string::npos) {
    return common::InvalidField("dir", kReason,
                                "backup: dir contains a NUL byte; give a plain path");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::Backup(grpc::CallbackServerContext* context,
                                               const api::v1::BackupRequest* request,
                                               api::v1::BackupResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status s = Allow(context, true, "back up the database"); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  if (!backup_) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                 "this irmd has no backup support"));
    return reactor;
  }
  if (absl::Status s = ValidateBackupDir(request->dir()); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  // A backup copies the whole database: run it off the gRPC thread.
  RunLong(reactor, [this, reactor, response, dir = request->dir()] {
    std::lock_guard<std::mutex> lock(backup_mutex);
    const absl::Time start = absl::Now();
    absl::StatusOr<store::BackupReport> report = backup_(dir);
    if (report.ok()) {
      response->set_dir(dir);
      response->set_backup_id(report->backup_id);
      response->set_head_at_start(report->head_at_start);
      response->set_size_bytes(report->size_bytes);
      response->set_files(report->files);
      response->set_backups_in_folder(report->backups_in_folder);
      response->set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
    }
    reactor->Finish(ToGrpcStatus(report.status()));
  });
  return reactor;
}

}  // namespace irm::services
