#include "cli/audit/audit_client.h"

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace irm::cli {
namespace {

using api::v1::AuditService;

absl::StatusOr<std::vector<audit::Hash>> Hashes(
    const google::protobuf::RepeatedPtrField<std::string>& path) {
  std::vector<audit::Hash> out;
  out.reserve(path.size());
  for (const std::string& bytes : path) {
    std::optional<audit::Hash> hash = audit::HashFromBytes(bytes);
    if (!hash.has_value()) {
      return absl::DataLossError(absl::StrCat("the server sent a proof element of ", bytes.size(),
                                              " bytes; hashes are 32 bytes"));
    }
    out.push_back(*hash);
  }
  return out;
}

}  // namespace

absl::StatusOr<audit::Checkpoint> CheckpointFromProto(const api::v1::Checkpoint& proto) {
  absl::StatusOr<audit::Checkpoint> checkpoint = audit::ParseCheckpointBody(proto.body());
  if (!checkpoint.ok()) {
    return absl::DataLossError(absl::StrCat("the server sent a malformed checkpoint: ",
                                            checkpoint.status().message()));
  }
  if (checkpoint->size != proto.tree_size() ||
      std::string(audit::AsBytes(checkpoint->root)) != proto.root() ||
      absl::ToUnixMicros(checkpoint->time) !=
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(proto.time())) {
    return absl::DataLossError(absl::StrCat(
        "the server sent a checkpoint whose fields (size ", proto.tree_size(),
        ") disagree with its signed body (size ", checkpoint->size, ")"));
  }
  checkpoint->signature = proto.signature();
  checkpoint->key_id = proto.key_id();
  return checkpoint;
}

absl::StatusOr<std::unique_ptr<AuditClient>> AuditClient::Connect(Connection& connection) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, connection.Channel());
  return std::unique_ptr<AuditClient>(new AuditClient(connection, AuditService::NewStub(channel)));
}

absl::StatusOr<audit::Checkpoint> AuditClient::GetCheckpoint(uint64_t size) {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::GetCheckpointRequest request;
  request.set_tree_size(size);
  api::v1::Checkpoint response;
  IRM_RETURN_IF_ERROR(connection_.FromGrpc(stub_->GetCheckpoint(&context, request, &response)));
  return CheckpointFromProto(response);
}

absl::StatusOr<audit::Checkpoint> AuditClient::SignCheckpoint() {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::Checkpoint response;
  IRM_RETURN_IF_ERROR(connection_.FromGrpc(
      stub_->SignCheckpoint(&context, api::v1::SignCheckpointRequest(), &response)));
  return CheckpointFromProto(response);
}

absl::StatusOr<std::vector<audit::Checkpoint>> AuditClient::ListCheckpoints() {
  std::vector<audit::Checkpoint> out;
  uint64_t from = 0;
  for (;;) {
    grpc::ClientContext context;
    connection_.Prepare(context, /*unary=*/true);
    api::v1::ListCheckpointsRequest request;
    request.set_from_size(from);
    api::v1::ListCheckpointsResponse response;
    IRM_RETURN_IF_ERROR(
        connection_.FromGrpc(stub_->ListCheckpoints(&context, request, &response)));
    for (const api::v1::Checkpoint& proto : response.checkpoints()) {
      IRM_ASSIGN_OR_RETURN(audit::Checkpoint checkpoint, CheckpointFromProto(proto));
      if (checkpoint.size < from) {
        return absl::DataLossError("the server listed checkpoints out of order");
      }
      from = checkpoint.size + 1;
      out.push_back(std::move(checkpoint));
    }
    if (response.checkpoints().empty()) return out;
  }
}

absl::StatusOr<ServerPublicKey> AuditClient::GetPublicKey() {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::PublicKey response;
  IRM_RETURN_IF_ERROR(connection_.FromGrpc(
      stub_->GetPublicKey(&context, api::v1::GetPublicKeyRequest(), &response)));
  return ServerPublicKey{response.pem(), response.key_id()};
}

absl::StatusOr<TreeHead> AuditClient::GetTreeHead() {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::TreeHead response;
  IRM_RETURN_IF_ERROR(connection_.FromGrpc(
      stub_->GetTreeHead(&context, api::v1::GetTreeHeadRequest(), &response)));
  std::optional<audit::Hash> root = audit::HashFromBytes(response.root());
  if (!root.has_value()) return absl::DataLossError("the server sent a tree head without a root");
  return TreeHead{response.tree_size(), *root, response.signing()};
}

absl::StatusOr<std::vector<std::string>> AuditClient::GetLeaves(uint64_t first, uint32_t count) {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::GetLeavesRequest request;
  request.set_first_index(first);
  request.set_max_count(count);
  api::v1::GetLeavesResponse response;
  IRM_RETURN_IF_ERROR(connection_.FromGrpc(stub_->GetLeaves(&context, request, &response)));
  if (response.first_index() != first || response.leaves().empty() ||
      static_cast<uint64_t>(response.leaves_size()) > count) {
    return absl::DataLossError(absl::StrCat("the server did not send the leaves from index ",
                                            first, " that were asked for"));
  }
  return std::vector<std::string>(response.leaves().begin(), response.leaves().end());
}

absl::StatusOr<std::vector<audit::Hash>> AuditClient::GetInclusionProof(uint64_t index,
                                                                        uint64_t size) {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::GetInclusionProofRequest request;
  request.set_leaf_index(index);
  request.set_tree_size(size);
  api::v1::InclusionProof response;
  IRM_RETURN_IF_ERROR(
      connection_.FromGrpc(stub_->GetInclusionProof(&context, request, &response)));
  return Hashes(response.path());
}

absl::StatusOr<std::vector<audit::Hash>> AuditClient::GetConsistencyProof(uint64_t first,
                                                                          uint64_t second) {
  grpc::ClientContext context;
  connection_.Prepare(context, /*unary=*/true);
  api::v1::GetConsistencyProofRequest request;
  request.set_first_size(first);
  request.set_second_size(second);
  api::v1::ConsistencyProof response;
  IRM_RETURN_IF_ERROR(
      connection_.FromGrpc(stub_->GetConsistencyProof(&context, request, &response)));
  return Hashes(response.path());
}

}  // namespace irm::cli
