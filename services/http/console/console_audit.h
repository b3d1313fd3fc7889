// ConsoleAudit: the auditors' view of the log's integrity for the console's /audit page: the
// latest signed checkpoint (AuditService.GetCheckpoint) and whether its signature verifies
// against irmd's public key (AuditService.GetPublicKey, engine/audit/ed25519.h), beside the
// current tree head and whether that head extends the checkpoint (a consistency proof).
// Asked through irmd's own gRPC services as the viewer, like every console read
// (console_commands.h); `irm verify` remains the full, independent check.
// Thread-safe (the generated stub is).
#ifndef IRM_SERVICES_HTTP_CONSOLE_CONSOLE_AUDIT_H_
#define IRM_SERVICES_HTTP_CONSOLE_CONSOLE_AUDIT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/channel.h"
#include "irm/api/v1/audit.grpc.pb.h"

namespace irm::services::http {

struct CheckpointStatus {
  absl::Status tree_head_status;   // of GetTreeHead
  api::v1::TreeHead tree_head;
  absl::Status checkpoint_status;  // of GetCheckpoint (FAILED_PRECONDITION: no signing key)
  api::v1::Checkpoint checkpoint;
  // OK: the signature verifies with the server's public key `key_id`; otherwise why not.
  absl::Status signature_status;
  std::string key_id;
  // OK: the current tree extends the checkpoint's (a consistency proof from its size to the
  // current size, AuditService.GetConsistencyProof, verified with engine/audit's
  // VerifyConsistency against the two roots); otherwise why not (DataLoss: it does not).
  absl::Status consistency_status;
};

class ConsoleAudit {
 public:
  explicit ConsoleAudit(std::shared_ptr<grpc::Channel> channel);
  // `authorization` as in ConsoleCommands.
  CheckpointStatus Latest(const std::string& authorization) const;

 private:
  // CheckpointStatus::consistency_status of `st` (its checkpoint and tree head read).
  absl::Status Consistency(const CheckpointStatus& st, const std::string& authorization) const;

  std::unique_ptr<api::v1::AuditService::Stub> stub_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONSOLE_CONSOLE_AUDIT_H_
