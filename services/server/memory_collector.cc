#include "services/server/memory_collector.h"

namespace irm::services {
namespace {

prometheus::MetricFamily Family(std::string name, std::string help, prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

void Add(prometheus::MetricFamily& family, uint64_t value, const std::string& buffer = "") {
  prometheus::ClientMetric metric;
  if (!buffer.empty()) metric.label.push_back({"buffer", buffer});
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = static_cast<double>(value);
  } else {
    metric.gauge.value = static_cast<double>(value);
  }
  family.metric.push_back(std::move(metric));
}

}  // namespace

std::vector<prometheus::MetricFamily> MemoryCollector::Collect() const {
  const MemoryUse use = source_();
  using prometheus::MetricType;
  auto bytes = Family("irm_buffered_bytes", "Bytes a bounded buffer holds now", MetricType::Gauge);
  auto limit = Family("irm_buffer_limit_bytes",
                      "The byte bound of a buffer (a share of --max-buffered-bytes)",
                      MetricType::Gauge);
  auto refusals = Family("irm_buffer_refusals_total",
                         "Appends refused (append_queue) or events re-read from the log "
                         "(feed_handoff) because the buffer was full",
                         MetricType::Counter);
  for (const BufferUse& buffer : use.buffers) {
    Add(limit, buffer.limit, buffer.buffer);
    if (!buffer.has_use) continue;
    Add(bytes, buffer.bytes, buffer.buffer);
    Add(refusals, buffer.refusals, buffer.buffer);
  }
  std::vector<prometheus::MetricFamily> families;
  families.push_back(std::move(bytes));
  families.push_back(std::move(limit));
  families.push_back(std::move(refusals));
  if (use.has_http) {
    auto open = Family("irm_http_connections", "HTTP connections being served, one thread each",
                       MetricType::Gauge);
    Add(open, use.http_connections);
    auto most = Family("irm_http_connections_limit", "The most HTTP connections served at once",
                       MetricType::Gauge);
    Add(most, use.http_connections_limit);
    auto refused = Family("irm_http_connections_refused_total",
                          "HTTP connections answered 503 because every thread was busy",
                          MetricType::Counter);
    Add(refused, use.http_connections_refused);
    families.push_back(std::move(open));
    families.push_back(std::move(most));
    families.push_back(std::move(refused));
  }
  return families;
}

}  // namespace irm::services
