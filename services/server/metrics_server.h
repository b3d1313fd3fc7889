// MetricsServer: the Prometheus endpoint `GET http://HOST:PORT/metrics` (irmd --metrics),
// and `GET /healthz` (`irm_up 1`), served by prometheus-cpp's Exposer on its own threads,
// so both answer whatever load the HTTP side carries.
//
// Thread-safety: Start and destruction from one thread; scrapes run on the Exposer's threads.
#ifndef IRM_SERVICES_SERVER_METRICS_SERVER_H_
#define IRM_SERVICES_SERVER_METRICS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"

namespace irm::services {

class MetricsServer {
 public:
  // Listens on `listen` (HOST:PORT; port 0 picks a free one) and serves `collectables` at
  // /metrics. Unavailable if it cannot listen. The server shares ownership of the
  // collectables (prometheus-cpp itself only keeps weak pointers); whatever they read must
  // outlive the server.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& listen,
      const std::vector<std::shared_ptr<prometheus::Collectable>>& collectables);

  // HOST:PORT with the real port.
  const std::string& address() const { return address_; }

 private:
  MetricsServer(std::unique_ptr<prometheus::Exposer> exposer, std::string address,
                std::vector<std::shared_ptr<prometheus::Collectable>> collectables)
      : collectables_(std::move(collectables)),
        exposer_(std::move(exposer)),
        address_(std::move(address)) {}

  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
  std::unique_ptr<prometheus::Exposer> exposer_;  // destroyed first: stops scraping
  std::string address_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_METRICS_SERVER_H_
