// AdminService: irm.api.v1.AdminService. Shows the lag and state of every subscription and
// projection, rebuilds projections, checks them against a replay in scratch space and voids
// unreadable events. Listing and the replay check are for the secretariat and auditors,
// rebuilding and voiding for the secretariat. Rebuilds, replay checks and backups run on
// threads the service owns (a TaskGroup), which Stop() cancels and joins. Thread-safe; the
// pointers must outlive the service.
#ifndef IRM_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define IRM_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include <functional>
#include <string>

#include "engine/log/event_log.h"
#include "engine/projection/projection_runner.h"
#include "engine/review/deadline_recorder.h"
#include "engine/store/backup.h"
#include "engine/subscription/live_feed.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "services/admin/task_group.h"
#include "services/server/authenticator.h"
#include "services/server/subscription_registry.h"

namespace irm::services {

class AdminService final : public api::v1::AdminService::CallbackService {
 public:
  // `log` is where void records are appended (the metered log in irmd).
  AdminService(log::EventLog* log, const subscription::LiveFeed* feed,
               const SubscriptionRegistry* subscriptions,
               projection::ProjectionRunner* projections, const Authenticator* auth);

  grpc::ServerUnaryReactor* ListSubscriptions(grpc::CallbackServerContext* context,
                                              const api::v1::ListSubscriptionsRequest* request,
                                              api::v1::ListSubscriptionsResponse* response) override;
  grpc::ServerUnaryReactor* ListProjections(grpc::CallbackServerContext* context,
                                            const api::v1::ListProjectionsRequest* request,
                                            api::v1::ListProjectionsResponse* response) override;
  grpc::ServerUnaryReactor* RebuildProjection(grpc::CallbackServerContext* context,
                                              const api::v1::RebuildProjectionRequest* request,
                                              api::v1::RebuildProjectionResponse* response) override;
  // Catches the live projections up with the head, then replays them all in a scratch
  // MemoryProjectionStore and compares digests (ProjectionRunner::ReplayCheck).
  grpc::ServerUnaryReactor* ReplayCheck(grpc::CallbackServerContext* context,
                                        const api::v1::ReplayCheckRequest* request,
                                        api::v1::ReplayCheckResponse* response) override;

  ~AdminService() override { Stop(); }

  // For shutdown, before the server stops: long calls in progress (rebuild, replay check,
  // backup) are cancelled and answer UNAVAILABLE, later ones are refused with UNAVAILABLE,
  // and their threads are joined. Idempotent.
  void Stop();

  // Backup (admin_backup.cc): runs `backup` (folder -> report) off the gRPC thread, one
  // backup at a time; Stop() calls `cancel` (may be empty) to end the one in progress.
  // Without a handler, Backup is UNIMPLEMENTED. Call before serving.
  using BackupHandler =
      std::function<absl::StatusOr<store::BackupReport>(const std::string& dir)>;
  void SetBackupHandler(BackupHandler backup, std::function<void()> cancel = {}) {
    backup_ = std::move(backup);
    cancel_backup_ = std::move(cancel);
  }
  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const api::v1::BackupRequest* request,
                                   api::v1::BackupResponse* response) override;

  // Void (admin_void.cc): appends an EventVoided record (engine/review/voids.h), then lets
  // the projections stopped at the voided event retry it.
  grpc::ServerUnaryReactor* Void(grpc::CallbackServerContext* context,
                                 const api::v1::VoidRequest* request,
                                 api::v1::VoidResponse* response) override;

  // CheckDeadlines (admin_deadlines.cc): a sweep of the DeadlineRecorder, answered from its
  // thread. Without a recorder, UNIMPLEMENTED. Call before serving.
  void SetDeadlineRecorder(review::DeadlineRecorder* recorder) { deadlines_ = recorder; }
  grpc::ServerUnaryReactor* CheckDeadlines(grpc::CallbackServerContext* context,
                                           const api::v1::CheckDeadlinesRequest* request,
                                           api::v1::CheckDeadlinesResponse* response) override;

 private:
  BackupHandler backup_;
  std::function<void()> cancel_backup_;
  review::DeadlineRecorder* deadlines_ = nullptr;
  log::EventLog* const log_;
  const subscription::LiveFeed* const feed_;
  const SubscriptionRegistry* const subscriptions_;
  projection::ProjectionRunner* const projections_;
  const Authenticator* const auth_;
  // OK if the caller may `what`; `write`: secretariat only, else secretariat and auditors.
  absl::Status Allow(grpc::CallbackServerContext* context, bool write, const char* what) const;
  // Runs `task` on a thread of tasks_; if the service is stopping, finishes `reactor` with
  // UNAVAILABLE instead.
  void RunLong(grpc::ServerUnaryReactor* reactor, std::function<void()> task);

  TaskGroup tasks_;  // last: its threads use the members above, so it goes first
};

}  // namespace irm::services

#endif  // IRM_SERVICES_ADMIN_ADMIN_SERVICE_H_
