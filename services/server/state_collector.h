// StateCollector: Prometheus gauges read from irmd's state at scrape time.
//
//   irm_log_head_position                          position of the last durable event
//   irm_log_disk_bytes                             bytes of the files in the data folder
//   irm_subscriptions                              live subscriptions
//   irm_subscription_lag_events{subscription}      head minus the subscription's checkpoint
//   irm_subscription_lag_seconds{subscription}     how long it has been behind the head
//   irm_projection_checkpoint_position{projection} last position applied
//   irm_projection_lag_events{projection}          head minus checkpoint
//   irm_projection_lag_seconds{projection}         age of the oldest event not yet applied
//   irm_projection_failed{projection}              1 if the projection stopped on an error
//
// Thread-safe: Collect() runs on the metrics server's threads and only calls thread-safe
// accessors. Everything passed in must outlive the collector's registration.
#ifndef IRM_SERVICES_SERVER_STATE_COLLECTOR_H_
#define IRM_SERVICES_SERVER_STATE_COLLECTOR_H_

#include <string>
#include <vector>

#include "engine/log/event_log.h"
#include "engine/projection/projection_runner.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"
#include "services/server/subscription_registry.h"

namespace irm::services {

class StateCollector final : public prometheus::Collectable {
 public:
  StateCollector(const log::EventLog* log, const SubscriptionRegistry* subscriptions,
                 const projection::ProjectionRunner* projections, std::string data_dir)
      : log_(log),
        subscriptions_(subscriptions),
        projections_(projections),
        data_dir_(std::move(data_dir)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

  // Total size of the regular files below `dir`; 0 if it cannot be read.
  static uint64_t FolderBytes(const std::string& dir);

 private:
  const log::EventLog* const log_;
  const SubscriptionRegistry* const subscriptions_;
  const projection::ProjectionRunner* const projections_;
  const std::string data_dir_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_STATE_COLLECTOR_H_
