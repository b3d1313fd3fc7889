// AuditService: irm.api.v1.AuditService. Serves checkpoints, proofs and leaf bytes from the
// log's AuditStore, and signs on request through the Checkpointer. Without a checkpointer
// (irmd has no --signing-key) it still serves tree heads, proofs and leaves, and answers
// checkpoint calls with FAILED_PRECONDITION saying a key is needed.
// Access: every call needs an authenticated caller; tree heads, checkpoints and proofs hold
// only hashes and are for everyone, while leaves (the events' full bytes) and signing on
// request are for the secretariat and auditors.
// Thread-safe; the pointers must outlive the service.
#ifndef IRM_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define IRM_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include "engine/audit/audit_store.h"
#include "engine/audit/checkpointer.h"
#include "irm/api/v1/audit.grpc.pb.h"
#include "services/server/authenticator.h"

namespace irm::services {

class AuditService final : public api::v1::AuditService::CallbackService {
 public:
  // `checkpointer` may be null.
  AuditService(audit::AuditStore* store, audit::Checkpointer* checkpointer,
               const Authenticator* auth);

  grpc::ServerUnaryReactor* GetCheckpoint(grpc::CallbackServerContext* context,
                                          const api::v1::GetCheckpointRequest* request,
                                          api::v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* ListCheckpoints(grpc::CallbackServerContext* context,
                                            const api::v1::ListCheckpointsRequest* request,
                                            api::v1::ListCheckpointsResponse* response) override;
  grpc::ServerUnaryReactor* SignCheckpoint(grpc::CallbackServerContext* context,
                                           const api::v1::SignCheckpointRequest* request,
                                           api::v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* GetPublicKey(grpc::CallbackServerContext* context,
                                         const api::v1::GetPublicKeyRequest* request,
                                         api::v1::PublicKey* response) override;
  grpc::ServerUnaryReactor* GetTreeHead(grpc::CallbackServerContext* context,
                                        const api::v1::GetTreeHeadRequest* request,
                                        api::v1::TreeHead* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(grpc::CallbackServerContext* context,
                                              const api::v1::GetInclusionProofRequest* request,
                                              api::v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context, const api::v1::GetConsistencyProofRequest* request,
      api::v1::ConsistencyProof* response) override;
  grpc::ServerUnaryReactor* GetLeaves(grpc::CallbackServerContext* context,
                                      const api::v1::GetLeavesRequest* request,
                                      api::v1::GetLeavesResponse* response) override;

 private:
  absl::Status CheckSize(uint64_t size) const;
  // Unauthenticated without a known caller; with `full_content`, PermissionDenied unless the
  // caller is the secretariat or an auditor (`what` names the call in the message).
  absl::Status Allow(grpc::CallbackServerContext* context, bool full_content,
                     const char* what) const;

  audit::AuditStore* const store_;
  audit::Checkpointer* const checkpointer_;
  const Authenticator* const auth_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_AUDIT_AUDIT_SERVICE_H_
