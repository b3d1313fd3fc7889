// AdminService::Void: declares an unreadable event void (admin.proto, docs/void.md).
#include "engine/access/authorize.h"
#include "engine/review/voids.h"
#include "services/admin/admin_service.h"
#include "services/server/grpc_status.h"

namespace irm::services {

grpc::ServerUnaryReactor* AdminService::Void(grpc::CallbackServerContext* context,
                                             const api::v1::VoidRequest* request,
                                             api::v1::VoidResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto run = [&]() -> absl::Status {
    absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
    if (!caller.ok()) return caller.status();
    if (absl::Status s = access::AuthorizeVoid(*caller); !s.ok()) return s;
    absl::StatusOr<log::AppendRequest> append = review::PrepareVoid(
        *log_, request->position(), request->reason(), access::ToProto(*caller));
    if (!append.ok()) return append.status();
    event::v1::EventVoided voided;
    voided.ParseFromString(append->events[0].data);
    // Blocks this thread for one fsync: voids are rare, and the projections must be told
    // before the answer, so that a query right after it sees them running again.
    absl::StatusOr<log::AppendResult> result = log_->Append(*std::move(append));
    if (absl::IsAborted(result.status())) {
      return absl::AbortedError(
          "void: another void was recorded at the same moment; run irm admin void again (it "
          "says if this event is void now)");
    }
    if (!result.ok()) return result.status();
    response->set_position(result->last_position);
    *response->mutable_voided() = std::move(voided);
    for (std::string& name : projections_->RetryStoppedAt(request->position())) {
      response->add_resumed(std::move(name));
    }
    return absl::OkStatus();
  };
  reactor->Finish(ToGrpcStatus(run()));
  return reactor;
}

}  // namespace irm::services
