// AdminService: irm.api.v1.AdminService. Shows the lag of every subscription and projection,
// rebuilds projections and checks them against a replay in scratch space. Listing and the
// replay check are for the secretariat and auditors, rebuilding for the
// secretariat. Thread-safe; the pointers must outlive the service.
#ifndef IRM_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define IRM_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include <functional>
#include <string>

#include "engine/projection/projection_runner.h"
#include "engine/store/backup.h"
#include "engine/subscription/live_feed.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "services/server/authenticator.h"
#include "services/server/subscription_registry.h"

namespace irm::services {

class AdminService final : public api::v1::AdminService::CallbackService {
 public:
  AdminService(const subscription::LiveFeed* feed, const SubscriptionRegistry* subscriptions,
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

  // Backup (admin_backup.cc): runs `backup` (folder -> report) off the gRPC thread, one
  // backup at a time. Without a handler, Backup is UNIMPLEMENTED. Call before serving.
  using BackupHandler =
      std::function<absl::StatusOr<store::BackupReport>(const std::string& dir)>;
  void SetBackupHandler(BackupHandler backup) { backup_ = std::move(backup); }
  grpc::ServerUnaryReactor* Backup(grpc::CallbackServerContext* context,
                                   const api::v1::BackupRequest* request,
                                   api::v1::BackupResponse* response) override;

 private:
  BackupHandler backup_;
  const subscription::LiveFeed* const feed_;
  const SubscriptionRegistry* const subscriptions_;
  projection::ProjectionRunner* const projections_;
  const Authenticator* const auth_;
  // OK if the caller may `what`; `write`: secretariat only, else secretariat and auditors.
  absl::Status Allow(grpc::CallbackServerContext* context, bool write, const char* what) const;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_ADMIN_ADMIN_SERVICE_H_
