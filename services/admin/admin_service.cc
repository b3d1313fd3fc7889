#include "services/admin/admin_service.h"

#include <thread>

#include "absl/time/clock.h"
#include "engine/projection/memory_projection_store.h"
#include "absl/strings/str_cat.h"
#include "engine/access/authorize.h"
#include "services/server/grpc_status.h"

namespace irm::services {

AdminService::AdminService(log::EventLog* log, const subscription::LiveFeed* feed,
                           const SubscriptionRegistry* subscriptions,
                           projection::ProjectionRunner* projections, const Authenticator* auth)
    : log_(log), feed_(feed), subscriptions_(subscriptions), projections_(projections),
      auth_(auth) {}

absl::Status AdminService::Allow(grpc::CallbackServerContext* context, bool write,
                                 const char* what) const {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return caller.status();
  return write ? access::AuthorizeAdmin(*caller, what) : access::AuthorizeOversight(*caller, what);
}

grpc::ServerUnaryReactor* AdminService::ListSubscriptions(
    grpc::CallbackServerContext* context, const api::v1::ListSubscriptionsRequest* request,
    api::v1::ListSubscriptionsResponse* response) {
  if (absl::Status s = Allow(context, false, "list subscriptions"); !s.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  const uint64_t head = feed_->head();
  const absl::Time now = absl::Now();
  response->set_head(head);
  for (const SubscriptionRegistry::Entry& entry : subscriptions_->List()) {
    api::v1::SubscriptionLag* lag = response->add_subscriptions();
    lag->set_id(entry.id);
    lag->set_filter(entry.description);
    lag->set_checkpoint(entry.checkpoint);
    lag->set_lag_events(head > entry.checkpoint ? head - entry.checkpoint : 0);
    const bool behind = head > entry.checkpoint;
    lag->set_lag_seconds(behind ? absl::ToDoubleSeconds(now - entry.checkpoint_time) : 0.0);
    lag->set_connected_seconds(absl::ToDoubleSeconds(now - entry.started));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::ListProjections(
    grpc::CallbackServerContext* context, const api::v1::ListProjectionsRequest* request,
    api::v1::ListProjectionsResponse* response) {
  if (absl::Status s = Allow(context, false, "list projections"); !s.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  response->set_head(feed_->head());
  for (const projection::ProjectionStatus& status : projections_->List()) {
    api::v1::ProjectionLag* lag = response->add_projections();
    lag->set_name(status.name);
    lag->set_checkpoint(status.checkpoint);
    lag->set_lag_events(status.lag_events);
    lag->set_lag_seconds(status.lag_seconds);
    lag->set_error(status.error);
    switch (status.state) {
      case projection::ProjectionState::kRunning:
        lag->set_state(api::v1::PROJECTION_RUNNING);
        break;
      case projection::ProjectionState::kStopped:
        lag->set_state(api::v1::PROJECTION_STOPPED);
        break;
      case projection::ProjectionState::kWaitingForDisk:
        lag->set_state(api::v1::PROJECTION_WAITING_FOR_DISK);
        break;
    }
    lag->set_stopped_at(status.stopped_at);
    absl::StatusOr<std::string> digest =
        projection::StateDigest(projections_->store(), status.name);
    if (digest.ok()) lag->set_digest(*digest);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::RebuildProjection(
    grpc::CallbackServerContext* context, const api::v1::RebuildProjectionRequest* request,
    api::v1::RebuildProjectionResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status s = Allow(context, true, "rebuild projections"); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  // A rebuild can take a while: run it off the gRPC thread.
  RunLong(reactor, [this, reactor, response, name = request->name()] {
    absl::StatusOr<projection::RebuildReport> report = projections_->Rebuild(name);
    if (report.ok()) {
      response->set_name(report->name);
      response->set_events(report->events);
      response->set_seconds(absl::ToDoubleSeconds(report->took));
      response->set_digest_before(report->digest_before);
      response->set_digest_after(report->digest_after);
      response->set_equal(report->was_stopped_at == 0 &&
                          report->digest_before == report->digest_after);
      response->set_was_stopped_at(report->was_stopped_at);
    }
    reactor->Finish(ToGrpcStatus(report.status()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::ReplayCheck(grpc::CallbackServerContext* context,
                                                    const api::v1::ReplayCheckRequest* request,
                                                    api::v1::ReplayCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (absl::Status s = Allow(context, false, "check projections against a replay"); !s.ok()) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  }
  // A full replay can take a while: run it off the gRPC thread.
  RunLong(reactor, [this, reactor, response] {
    const absl::Time start = absl::Now();
    const uint64_t head = feed_->head();
    response->set_head(head);
    // The live side first catches up with the head, so both compare at one position.
    absl::Status status = projections_->WaitUntilAppliedForReplay(head, absl::Seconds(60));
    if (status.ok() || absl::IsUnavailable(status)) {  // a stopped one is reported below
      projection::MemoryProjectionStore scratch;
      absl::StatusOr<std::vector<projection::ReplayComparison>> rows =
          projections_->ReplayCheck(&scratch);
      status = rows.status();
      if (rows.ok()) {
        for (const projection::ReplayComparison& row : *rows) {
          api::v1::ProjectionReplay* out = response->add_projections();
          out->set_name(row.name);
          out->set_position(row.position);
          out->set_live_digest(row.live_digest);
          out->set_replayed_digest(row.replayed_digest);
          out->set_equal(row.equal());
          out->set_error(row.error);
          out->set_stopped_at(row.stopped_at);
        }
      }
    }
    response->set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

void AdminService::RunLong(grpc::ServerUnaryReactor* reactor, std::function<void()> task) {
  if (!tasks_.Spawn(std::move(task))) {
    reactor->Finish(ToGrpcStatus(
        absl::UnavailableError("irmd is stopping; run this again after it restarts")));
  }
}

void AdminService::Stop() {
  projections_->CancelReplays();
  if (cancel_backup_) cancel_backup_();
  tasks_.Stop();
}

}  // namespace irm::services
