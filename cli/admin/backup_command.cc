#include "cli/admin/backup_command.h"

#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "irm/api/v1/admin.grpc.pb.h"

namespace irm::cli {
namespace {

using Json = nlohmann::ordered_json;

absl::Status RunBackup(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, env.connection.Channel());
  std::unique_ptr<api::v1::AdminService::Stub> stub = api::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  // Copying a large log takes a while: no deadline (interrupt to stop waiting).
  env.connection.Prepare(context, /*unary=*/false);
  api::v1::BackupRequest request;
  request.set_dir(env.args.positional()[0]);
  api::v1::BackupResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(stub->Backup(&context, request, &response)));
  if (env.json()) {
    Json json = Json::object();
    json["dir"] = response.dir();
    json["backup_id"] = response.backup_id();
    json["head_at_start"] = response.head_at_start();
    json["size_bytes"] = response.size_bytes();
    json["files"] = response.files();
    json["backups_in_folder"] = response.backups_in_folder();
    json["seconds"] = response.seconds();
    env.out << codec::DumpCompact(json) << "\n";
    return absl::OkStatus();
  }
  env.out << absl::StrFormat(
      "backup %u written to %s on the server: at least positions 1..%u, %u files, %.1f MiB "
      "in %.2f s (verified); the folder holds %u backup%s\n",
      response.backup_id(), response.dir(), response.head_at_start(), response.files(),
      response.size_bytes() / 1048576.0, response.seconds(), response.backups_in_folder(),
      response.backups_in_folder() == 1 ? "" : "s");
  return absl::OkStatus();
}

}  // namespace

void RegisterBackupCommand(CommandRegistry& registry) {
  registry.Add(Command{
      "admin backup",
      "DIR",
      "Back up the server's whole database, online, into DIR on the server's machine",
      "DIR is an absolute path ON THE MACHINE WHERE irmd RUNS, not on this one; irmd must be\n"
      "able to write there. The backup is taken while irmd keeps serving appends and is\n"
      "consistent: every column family (events, indexes, projections) at one point, each\n"
      "append wholly in or out. Each backup is verified after writing. DIR may already hold\n"
      "backups: unchanged table files are shared. Restore the newest with\n"
      "`irmd --restore-from DIR --data NEW_EMPTY_FOLDER`.",
      {},
      {"irm admin backup /var/backups/irm", "irm admin backup /var/backups/irm --json"},
      1,
      1,
      RunBackup,
  });
}

}  // namespace irm::cli
