// AdminService::CheckDeadlines: a sweep of irmd's DeadlineRecorder on request (admin.proto,
// docs/deadlines.md), answered from the recorder's thread.
#include "services/admin/admin_service.h"
#include "services/server/grpc_status.h"

namespace irm::services {

grpc::ServerUnaryReactor* AdminService::CheckDeadlines(
    grpc::CallbackServerContext* context, const api::v1::CheckDeadlinesRequest* /*request*/,
    api::v1::CheckDeadlinesResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status s = Allow(context, true, "check deadlines"); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  if (deadlines_ == nullptr) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                 "this irmd records no deadline events"));
    return reactor;
  }
  deadlines_->SweepAsync([reactor, response](absl::StatusOr<review::SweepResult> swept) {
    if (swept.ok()) {
      response->set_today(swept->today);
      response->set_reviews_checked(swept->reviews_checked);
      response->set_events_written(swept->events_written);
    }
    reactor->Finish(ToGrpcStatus(swept.status()));
  });
  return reactor;
}

}  // namespace irm::services
