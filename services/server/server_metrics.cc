#include "services/server/server_metrics.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace irm::services {
namespace {

// 100 us to ~30 s: fsync-bound appends sit around a millisecond, rebuilds take seconds.
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10,   30};
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("irm_requests_total")
                    .Help("Finished gRPC calls by method and status code")
                    .Register(*registry_)),
      request_duration_(prometheus::BuildHistogram()
                            .Name("irm_request_duration_seconds")
                            .Help("gRPC call duration by method (streams: until they end)")
                            .Register(*registry_)),
      append_requests_(prometheus::BuildCounter()
                           .Name("irm_append_requests_total")
                           .Help("Appends to the event log by outcome code")
                           .Register(*registry_)),
      appended_events_(prometheus::BuildCounter()
                           .Name("irm_appended_events_total")
                           .Help("Events made durable in the log")
                           .Register(*registry_)
                           .Add({})),
      append_duration_(prometheus::BuildHistogram()
                           .Name("irm_append_duration_seconds")
                           .Help("Time from an append's arrival at the log until it is durable "
                                 "or refused")
                           .Register(*registry_)
                           .Add({}, LatencyBuckets())) {}

std::string ServerMetrics::ShortMethod(const std::string& method) {
  // "/package.Service/Method": drop the leading slash and the package.
  size_t slash = method.find('/', 1);
  if (!absl::StartsWith(method, "/") || slash == std::string::npos) return method;
  std::string service = method.substr(1, slash - 1);
  size_t dot = service.rfind('.');
  if (dot != std::string::npos) service = service.substr(dot + 1);
  return service + method.substr(slash);
}

prometheus::Counter& ServerMetrics::RequestCounter(const std::string& method,
                                                   grpc::StatusCode code) {
  const std::string key = absl::StrCat(method, " ", static_cast<int>(code));
  absl::MutexLock lock(&mu_);
  prometheus::Counter*& counter = counters_[key];
  if (counter == nullptr) {
    counter = &requests_.Add({{"method", ShortMethod(method)}, {"code", StatusCodeName(code)}});
  }
  return *counter;
}

prometheus::Histogram& ServerMetrics::RequestHistogram(const std::string& method) {
  absl::MutexLock lock(&mu_);
  prometheus::Histogram*& histogram = histograms_[method];
  if (histogram == nullptr) {
    histogram = &request_duration_.Add({{"method", ShortMethod(method)}}, LatencyBuckets());
  }
  return *histogram;
}

void ServerMetrics::OnCallFinished(const FinishedCall& call) {
  RequestCounter(call.method, call.code).Increment();
  RequestHistogram(call.method).Observe(absl::ToDoubleSeconds(call.duration));
}

void ServerMetrics::OnAppend(size_t events, absl::Duration took, absl::StatusCode code) {
  prometheus::Counter* counter;
  {
    absl::MutexLock lock(&mu_);
    prometheus::Counter*& cached = append_counters_[static_cast<int>(code)];
    if (cached == nullptr) {
      cached = &append_requests_.Add({{"code", absl::StatusCodeToString(code)}});
    }
    counter = cached;
  }
  counter->Increment();
  if (code == absl::StatusCode::kOk) appended_events_.Increment(static_cast<double>(events));
  append_duration_.Observe(absl::ToDoubleSeconds(took));
}

}  // namespace irm::services
