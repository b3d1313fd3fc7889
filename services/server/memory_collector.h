// MemoryCollector: Prometheus series of irmd's memory bounds (--max-buffered-bytes) and
// their use, read at scrape time.
//
//   irm_buffered_bytes{buffer}            bytes held now (append_queue, feed_handoff)
//   irm_buffer_limit_bytes{buffer}        the bound (append_queue, feed_handoff, feed_ring,
//                                         grpc_quota)
//   irm_buffer_refusals_total{buffer}     append_queue: appends refused (BUFFERS_FULL);
//                                         feed_handoff: events dropped there and read from
//                                         the log instead
//   irm_http_connections                  HTTP connections being served (one thread each)
//   irm_http_connections_limit            the most served at once
//   irm_http_connections_refused_total    connections answered 503 because all were busy
//
// Thread-safe as long as the source is: Collect() runs on the metrics server's threads.
#ifndef IRM_SERVICES_SERVER_MEMORY_COLLECTOR_H_
#define IRM_SERVICES_SERVER_MEMORY_COLLECTOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace irm::services {

// One byte bound: its name (the `buffer` label) and, where known, its use.
struct BufferUse {
  std::string buffer;
  uint64_t limit = 0;
  bool has_use = false;  // gRPC does not tell how much of its quota it uses
  uint64_t bytes = 0;
  uint64_t refusals = 0;
};

struct MemoryUse {
  std::vector<BufferUse> buffers;
  bool has_http = false;  // no --http: no irm_http_connections* series
  uint64_t http_connections = 0;
  uint64_t http_connections_limit = 0;
  uint64_t http_connections_refused = 0;
};

class MemoryCollector final : public prometheus::Collectable {
 public:
  // `source` is called on each scrape; whatever it reads must outlive the collector's
  // registration.
  explicit MemoryCollector(std::function<MemoryUse()> source) : source_(std::move(source)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::function<MemoryUse()> source_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_MEMORY_COLLECTOR_H_
