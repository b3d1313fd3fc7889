// AdminService: irm.api.v1.AdminService. Shows the lag of every subscription and projection
// rebuilds projections and checks them against a replay in scratch space. Thread-safe; the pointers must outlive the service.
#ifndef IRM_SERVICES_ADMIN_SERVICE_H_
#define IRM_SERVICES_ADMIN_SERVICE_H_

#include "engine/projection/projection_runner.h"
#include "engine/subscription/live_feed.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "services/subscription_registry.h"

namespace irm::services {

class AdminService final : public api::v1::AdminService::CallbackService {
 public:
  AdminService(const subscription::LiveFeed* feed, const SubscriptionRegistry* subscriptions,
               projection::ProjectionRunner* projections);

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

 private:
  const subscription::LiveFeed* const feed_;
  const SubscriptionRegistry* const subscriptions_;
  projection::ProjectionRunner* const projections_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_ADMIN_SERVICE_H_
