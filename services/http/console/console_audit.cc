#include "services/http/console/console_audit.h"

#include <chrono>

#include <optional>
#include <vector>

#include "engine/audit/ed25519.h"
#include "engine/audit/hash.h"
#include "engine/audit/proof_verifier.h"
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

absl::Status ConsoleAudit::Consistency(const CheckpointStatus& st,
                                       const std::string& authorization) const {
  if (!st.tree_head_status.ok()) return st.tree_head_status;
  const uint64_t first = st.checkpoint.tree_size(), second = st.tree_head.tree_size();
  if (first > second) {
    return absl::FailedPreconditionError(
        "the checkpoint was signed after the current tree was read; reload the page");
  }
  std::optional<audit::Hash> first_root = audit::HashFromBytes(st.checkpoint.root());
  std::optional<audit::Hash> second_root = audit::HashFromBytes(st.tree_head.root());
  if (!first_root.has_value() || !second_root.has_value()) {
    return absl::DataLossError("a root is not a 32-byte hash");
  }
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::GetConsistencyProofRequest request;
  request.set_first_size(first);
  request.set_second_size(second);
  api::v1::ConsistencyProof proof;
  if (absl::Status s = FromGrpc(stub_->GetConsistencyProof(&context, request, &proof)); !s.ok()) {
    return s;
  }
  std::vector<audit::Hash> path;
  for (const std::string& bytes : proof.path()) {
    std::optional<audit::Hash> hash = audit::HashFromBytes(bytes);
    if (!hash.has_value()) return absl::DataLossError("a proof element is not a 32-byte hash");
    path.push_back(*hash);
  }
  return audit::VerifyConsistency(first, second, *first_root, *second_root, path);
}

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
    out.consistency_status = out.signature_status;
    return out;
  }
  out.consistency_status = Consistency(out, authorization);
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
