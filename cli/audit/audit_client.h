// AuditClient: the `irm` side of AuditService. Each call runs one RPC and turns the answer
// into engine/audit types, checking its shape (32-byte hashes, a checkpoint whose fields
// agree with its signed body). It checks shapes only: proofs and signatures are verified by
// the caller with engine/audit's verifier, never taken on the server's word.
// Not thread-safe; one per command.
#ifndef IRM_CLI_AUDIT_AUDIT_CLIENT_H_
#define IRM_CLI_AUDIT_AUDIT_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/core/connection.h"
#include "engine/audit/checkpoint.h"
#include "engine/audit/hash.h"
#include "irm/api/v1/audit.grpc.pb.h"

namespace irm::cli {

struct TreeHead {
  uint64_t size = 0;
  audit::Hash root{};
  bool signing = false;
};

struct ServerPublicKey {
  std::string pem;
  std::string key_id;
};

class AuditClient {
 public:
  static absl::StatusOr<std::unique_ptr<AuditClient>> Connect(Connection& connection);

  // The latest checkpoint (size 0) or the one of `size`.
  absl::StatusOr<audit::Checkpoint> GetCheckpoint(uint64_t size);
  absl::StatusOr<audit::Checkpoint> SignCheckpoint();
  // Every stored checkpoint, by increasing size.
  absl::StatusOr<std::vector<audit::Checkpoint>> ListCheckpoints();
  absl::StatusOr<ServerPublicKey> GetPublicKey();
  absl::StatusOr<TreeHead> GetTreeHead();
  // Leaves [first, first + count) (fewer if the server caps a call; at least one).
  absl::StatusOr<std::vector<std::string>> GetLeaves(uint64_t first, uint32_t count);
  absl::StatusOr<std::vector<audit::Hash>> GetInclusionProof(uint64_t index, uint64_t size);
  absl::StatusOr<std::vector<audit::Hash>> GetConsistencyProof(uint64_t first, uint64_t second);

 private:
  AuditClient(Connection& connection, std::unique_ptr<api::v1::AuditService::Stub> stub)
      : connection_(connection), stub_(std::move(stub)) {}

  Connection& connection_;
  std::unique_ptr<api::v1::AuditService::Stub> stub_;
};

// The checkpoint in `proto`: its body parsed, the other fields checked against it.
// DataLoss if they disagree or the body is malformed.
absl::StatusOr<audit::Checkpoint> CheckpointFromProto(const api::v1::Checkpoint& proto);

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_AUDIT_CLIENT_H_
