#include "services/server/metrics_server.h"

#include <exception>

#include "absl/strings/str_cat.h"

namespace irm::services {

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
  std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen));
  }
  std::string host = listen.substr(0, listen.rfind(':'));
  return std::unique_ptr<MetricsServer>(
      new MetricsServer(std::move(exposer), absl::StrCat(host, ":", ports[0]), collectables));
}

}  // namespace irm::services
