#include "services/http/console/console_audit.h"

#include <chrono>

#include "engine/audit/ed25519.h"
#include "grpcpp/client_context.h"

namespace irm::services::http {
namespace {

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

void Prepare(grpc::ClientContext& context, const std::string& authorization) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
}

}  // namespace

ConsoleAudit::ConsoleAudit(std::shared_ptr<grpc::Channel> channel)
    : stub_(api::v1::AuditService::NewStub(channel)) {}

CheckpointStatus ConsoleAudit::Latest(const std::string& authorization) const {
  CheckpointStatus out;
  {
    grpc::ClientContext context;
    Prepare(context, authorization);
    out.tree_head_status =
        FromGrpc(stub_->GetTreeHead(&context, api::v1::GetTreeHeadRequest(), &out.tree_head));
  }
  {
    grpc::ClientContext context;
    Prepare(context, authorization);
    out.checkpoint_status = FromGrpc(
        stub_->GetCheckpoint(&context, api::v1::GetCheckpointRequest(), &out.checkpoint));
  }
  if (!out.checkpoint_status.ok()) {
    out.signature_status = absl::FailedPreconditionError("no checkpoint to verify");
    return out;
  }
  api::v1::PublicKey key;
  grpc::ClientContext context;
  Prepare(context, authorization);
  out.signature_status =
      FromGrpc(stub_->GetPublicKey(&context, api::v1::GetPublicKeyRequest(), &key));
  if (!out.signature_status.ok()) return out;
  out.key_id = key.key_id();
  absl::StatusOr<std::unique_ptr<audit::VerifyingKey>> verifying =
      audit::VerifyingKey::FromPem(key.pem());
  if (!verifying.ok()) {
    out.signature_status = verifying.status();
    return out;
  }
  out.signature_status =
      (*verifying)->Verify(out.checkpoint.body(), out.checkpoint.signature());
  return out;
}

}  // namespace irm::services::http
