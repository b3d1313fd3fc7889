#include "services/server/metrics_server.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "prometheus/metric_family.h"

namespace irm::services {
namespace {

// GET /healthz on the metrics listener: `irm_up 1` while irmd serves. Its own small thread
// pool (civetweb's), apart from the HTTP side's connection threads, so it answers whatever
// load the HTTP side carries.
class HealthCollectable final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::MetricFamily family;
    family.name = "irm_up";
    family.help = "1 while irmd serves";
    family.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric metric;
    metric.gauge.value = 1;
    family.metric.push_back(metric);
    return {family};
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& listen,
    const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables) {
  // civetweb wants "HOST:PORT" for IPv4 and "[ADDR]:PORT" for IPv6, as irmd's flag does.
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    exposer = std::make_unique<prometheus::Exposer>(listen, /*num_threads=*/2);
  } catch (const std::exception& e) {  // civetweb throws when it cannot bind
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen, ": ", e.what(),
                                               "; is the address in use or not local?"));
  }
  for (const auto& collectable : collectables) exposer->RegisterCollectable(collectable);
  std::vector<std::shared_ptr<prometheus::Collectable>> owned = collectables;
  owned.push_back(std::make_shared<HealthCollectable>());
  exposer->RegisterCollectable(owned.back(), "/healthz");
  std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen));
  }
  std::string host = listen.substr(0, listen.rfind(':'));
  return std::unique_ptr<MetricsServer>(
      new MetricsServer(std::move(exposer), absl::StrCat(host, ":", ports[0]), std::move(owned)));
}

}  // namespace irm::services
