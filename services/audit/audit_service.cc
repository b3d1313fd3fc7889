#include "services/audit/audit_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/access/authorize.h"
#include "engine/audit/tree_proofs.h"
#include "engine/common/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "engine/log/message_budget.h"
#include "services/server/grpc_status.h"

namespace irm::services {
namespace {

constexpr uint32_t kMaxLeavesPerCall = 10000;
constexpr uint32_t kMaxCheckpointsPerCall = 1000;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& s) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(s));
  return reactor;
}

void ToProto(const audit::Checkpoint& checkpoint, api::v1::Checkpoint* out) {
  out->set_tree_size(checkpoint.size);
  out->set_root(std::string(audit::AsBytes(checkpoint.root)));
  *out->mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(checkpoint.time));
  out->set_body(checkpoint.Body());
  out->set_signature(checkpoint.signature);
  out->set_key_id(checkpoint.key_id);
}

absl::Status NeedsKey(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(
      what, ": irmd signs checkpoints only with a key; restart it with --signing-key F "
            "(make F with `openssl genpkey -algorithm ed25519 -out F`). Unsigned tree heads "
            "and proofs are served meanwhile"));
}

template <typename Proto>
void SetPath(const std::vector<audit::Hash>& path, Proto* out) {
  for (const audit::Hash& hash : path) out->add_path(std::string(audit::AsBytes(hash)));
}

}  // namespace

AuditService::AuditService(audit::AuditStore* store, audit::Checkpointer* checkpointer,
                           const Authenticator* auth)
    : store_(store), checkpointer_(checkpointer), auth_(auth) {}

absl::Status AuditService::Allow(grpc::CallbackServerContext* context, bool full_content,
                                 const char* what) const {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return caller.status();
  return full_content ? access::AuthorizeOversight(*caller, what) : absl::OkStatus();
}

absl::Status AuditService::CheckSize(uint64_t size) const {
  const uint64_t current = store_->TreeSize();
  if (size > current) {
    return absl::InvalidArgumentError(absl::StrCat("tree size ", size,
                                                   " is beyond the log's current size ",
                                                   current, "; ask for a size up to it"));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(grpc::CallbackServerContext* context,
                                                      const api::v1::GetCheckpointRequest* request,
                                                      api::v1::Checkpoint* response) {
  if (absl::Status s = Allow(context, false, "call GetCheckpoint"); !s.ok()) return Finish(context, s);
  absl::StatusOr<std::optional<audit::Checkpoint>> found =
      request->tree_size() == 0 ? store_->LatestCheckpoint()
                                : store_->CheckpointAt(request->tree_size());
  if (!found.ok()) return Finish(context, found.status());
  if (!found->has_value()) {
    if (request->tree_size() != 0) {
      return Finish(context, absl::NotFoundError(absl::StrCat(
                                 "no checkpoint of tree size ", request->tree_size(),
                                 " is stored; `irm checkpoint --list` shows the stored sizes")));
    }
    if (checkpointer_ == nullptr) return Finish(context, NeedsKey("no checkpoint is stored"));
    absl::StatusOr<audit::Checkpoint> signed_now = checkpointer_->SignNow();
    if (!signed_now.ok()) return Finish(context, signed_now.status());
    found = std::optional<audit::Checkpoint>(*signed_now);
  }
  ToProto(**found, response);
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::ListCheckpoints(
    grpc::CallbackServerContext* context, const api::v1::ListCheckpointsRequest* request,
    api::v1::ListCheckpointsResponse* response) {
  if (absl::Status s = Allow(context, false, "call ListCheckpoints"); !s.ok()) return Finish(context, s);
  const uint32_t max = request->max_count() == 0
                           ? kMaxCheckpointsPerCall
                           : std::min(request->max_count(), kMaxCheckpointsPerCall);
  absl::StatusOr<std::vector<audit::Checkpoint>> list =
      store_->ListCheckpoints(request->from_size(), max);
  if (!list.ok()) return Finish(context, list.status());
  for (const audit::Checkpoint& c : *list) ToProto(c, response->add_checkpoints());
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::SignCheckpoint(grpc::CallbackServerContext* context,
                                                       const api::v1::SignCheckpointRequest*,
                                                       api::v1::Checkpoint* response) {
  if (absl::Status s = Allow(context, true, "sign a checkpoint on request"); !s.ok()) return Finish(context, s);
  if (checkpointer_ == nullptr) return Finish(context, NeedsKey("cannot sign a checkpoint"));
  absl::StatusOr<audit::Checkpoint> checkpoint = checkpointer_->SignNow();
  if (checkpoint.ok()) ToProto(*checkpoint, response);
  return Finish(context, checkpoint.status());
}

grpc::ServerUnaryReactor* AuditService::GetPublicKey(grpc::CallbackServerContext* context,
                                                     const api::v1::GetPublicKeyRequest*,
                                                     api::v1::PublicKey* response) {
  if (absl::Status s = Allow(context, false, "call GetPublicKey"); !s.ok()) return Finish(context, s);
  if (checkpointer_ == nullptr) return Finish(context, NeedsKey("there is no public key"));
  response->set_pem(checkpointer_->key().public_key().pem());
  response->set_key_id(checkpointer_->key().public_key().key_id());
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetTreeHead(grpc::CallbackServerContext* context,
                                                    const api::v1::GetTreeHeadRequest*,
                                                    api::v1::TreeHead* response) {
  if (absl::Status s = Allow(context, false, "call GetTreeHead"); !s.ok()) return Finish(context, s);
  const uint64_t size = store_->TreeSize();
  absl::StatusOr<audit::Hash> root = audit::RootAt(*store_, size);
  if (!root.ok()) return Finish(context, root.status());
  response->set_tree_size(size);
  response->set_root(std::string(audit::AsBytes(*root)));
  response->set_signing(checkpointer_ != nullptr);
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context, const api::v1::GetInclusionProofRequest* request,
    api::v1::InclusionProof* response) {
  if (absl::Status s = Allow(context, false, "call GetInclusionProof"); !s.ok()) return Finish(context, s);
  if (absl::Status s = CheckSize(request->tree_size()); !s.ok()) return Finish(context, s);
  absl::StatusOr<std::vector<audit::Hash>> path =
      audit::InclusionProof(*store_, request->leaf_index(), request->tree_size());
  if (!path.ok()) return Finish(context, path.status());
  response->set_leaf_index(request->leaf_index());
  response->set_tree_size(request->tree_size());
  SetPath(*path, response);
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context, const api::v1::GetConsistencyProofRequest* request,
    api::v1::ConsistencyProof* response) {
  if (absl::Status s = Allow(context, false, "call GetConsistencyProof"); !s.ok()) return Finish(context, s);
  if (absl::Status s = CheckSize(request->second_size()); !s.ok()) return Finish(context, s);
  absl::StatusOr<std::vector<audit::Hash>> path =
      audit::ConsistencyProof(*store_, request->first_size(), request->second_size());
  if (!path.ok()) return Finish(context, path.status());
  response->set_first_size(request->first_size());
  response->set_second_size(request->second_size());
  SetPath(*path, response);
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuditService::GetLeaves(grpc::CallbackServerContext* context,
                                                  const api::v1::GetLeavesRequest* request,
                                                  api::v1::GetLeavesResponse* response) {
  if (absl::Status s = Allow(context, true, "read the events' full bytes (leaves)"); !s.ok()) return Finish(context, s);
  const uint32_t max = request->max_count() == 0
                           ? kMaxLeavesPerCall
                           : std::min(request->max_count(), kMaxLeavesPerCall);
  response->set_tree_size(store_->TreeSize());
  absl::StatusOr<std::vector<std::string>> leaves =
      store_->ReadLeaves(request->first_index(), max, log::kMessageEventBytes);
  if (!leaves.ok()) return Finish(context, leaves.status());
  response->set_first_index(request->first_index());
  // One message's worth as every read counts it (the store does not count the framing).
  log::MessageBudget budget;
  for (std::string& leaf : *leaves) {
    if (!budget.TryAdd(leaf.size())) break;
    response->add_leaves(std::move(leaf));
  }
  return Finish(context, absl::OkStatus());
}

}  // namespace irm::services
