// AdminService: irm.api.v1.AdminService. Shows the lag of every subscription and projection
// and rebuilds projections. Listing is for the secretariat and auditors, rebuilding for the
// secretariat. Thread-safe; the pointers must outlive the service.
#ifndef IRM_SERVICES_ADMIN_SERVICE_H_
#define IRM_SERVICES_ADMIN_SERVICE_H_

#include "engine/projection/projection_runner.h"
#include "engine/subscription/live_feed.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "services/authenticator.h"
#include "services/subscription_registry.h"

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

 private:
  const subscription::LiveFeed* const feed_;
  const SubscriptionRegistry* const subscriptions_;
  projection::ProjectionRunner* const projections_;
  const Authenticator* const auth_;
  // OK if the caller may `what`; `write`: secretariat only, else secretariat and auditors.
  absl::Status Allow(grpc::CallbackServerContext* context, bool write, const char* what) const;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_ADMIN_SERVICE_H_
