// ServerMetrics: irmd's Prometheus series that are counted as things happen.
//
//   irm_requests_total{method,code}           counter  finished gRPC calls
//   irm_request_duration_seconds{method}      histogram gRPC call latency
//   irm_append_requests_total{code}           counter  appends to the log, by outcome
//   irm_appended_events_total                 counter  events made durable (rate = append rate)
//   irm_append_duration_seconds               histogram time until durable (or refused)
//
// `method` is the short form "LogService/Append" (package dropped). Gauges read at scrape
// time (head, size, lag) come from StateCollector (state_collector.h).
//
// Thread-safe: prometheus-cpp metrics are atomic; families are looked up under a mutex.
#ifndef IRM_SERVICES_SERVER_SERVER_METRICS_H_
#define IRM_SERVICES_SERVER_SERVER_METRICS_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/server/call_interceptor.h"

namespace irm::services {

class ServerMetrics final : public CallObserver {
 public:
  ServerMetrics();

  // The registry to expose (MetricsServer registers it).
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  void OnCallFinished(const FinishedCall& call) override;
  // One append of `events` events with outcome `code` (events are counted only when OK).
  void OnAppend(size_t events, absl::Duration took, absl::StatusCode code);

  // "/irm.api.v1.LogService/Append" -> "LogService/Append"; other text is kept.
  static std::string ShortMethod(const std::string& method);

 private:
  // The series of one method (and, for the counter, one code), created on first use.
  // prometheus-cpp's Family::Add builds a throwaway metric on every call, so they are cached.
  prometheus::Counter& RequestCounter(const std::string& method, grpc::StatusCode code);
  prometheus::Histogram& RequestHistogram(const std::string& method);

  std::shared_ptr<prometheus::Registry> registry_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, prometheus::Counter*> counters_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, prometheus::Histogram*> histograms_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int, prometheus::Counter*> append_counters_ ABSL_GUARDED_BY(mu_);
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_duration_;
  prometheus::Family<prometheus::Counter>& append_requests_;
  prometheus::Counter& appended_events_;
  prometheus::Histogram& append_duration_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_SERVER_METRICS_H_
