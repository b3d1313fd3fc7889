#include "services/server/state_collector.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace irm::services {
namespace {

prometheus::MetricFamily GaugeFamily(std::string name, std::string help) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  return family;
}

void AddGauge(prometheus::MetricFamily& family, double value, const std::string& label = "",
              const std::string& label_value = "") {
  prometheus::ClientMetric metric;
  if (!label.empty()) metric.label.push_back({label, label_value});
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

}  // namespace

uint64_t StateCollector::FolderBytes(const std::string& dir) {
  std::error_code error;
  uint64_t total = 0;
  for (std::filesystem::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      uint64_t size = it->file_size(size_error);
      if (!size_error) total += size;  // a file RocksDB just deleted is skipped
    }
  }
  return total;
}

std::vector<prometheus::MetricFamily> StateCollector::Collect() const {
  const uint64_t head = log_->HeadPosition();
  const absl::Time now = absl::Now();
  std::vector<prometheus::MetricFamily> families;

  auto head_family = GaugeFamily("irm_log_head_position", "Position of the last durable event");
  AddGauge(head_family, static_cast<double>(head));
  families.push_back(std::move(head_family));
  auto disk = GaugeFamily("irm_log_disk_bytes", "Bytes of the files in irmd's data folder");
  AddGauge(disk, static_cast<double>(FolderBytes(data_dir_)));
  families.push_back(std::move(disk));

  const std::vector<SubscriptionRegistry::Entry> entries = subscriptions_->List();
  auto count = GaugeFamily("irm_subscriptions", "Live subscriptions");
  AddGauge(count, static_cast<double>(entries.size()));
  auto sub_events = GaugeFamily("irm_subscription_lag_events",
                                "Events between the head and a subscription's checkpoint");
  auto sub_seconds = GaugeFamily("irm_subscription_lag_seconds",
                                 "Seconds a subscription has been behind the head; 0 at the head");
  for (const SubscriptionRegistry::Entry& entry : entries) {
    const std::string id = absl::StrCat(entry.id);
    const bool behind = head > entry.checkpoint;  // as irm admin subscriptions
    AddGauge(sub_events, static_cast<double>(head > entry.checkpoint ? head - entry.checkpoint : 0),
             "subscription", id);
    AddGauge(sub_seconds, behind ? absl::ToDoubleSeconds(now - entry.checkpoint_time) : 0.0,
             "subscription", id);
  }
  families.push_back(std::move(count));
  families.push_back(std::move(sub_events));
  families.push_back(std::move(sub_seconds));

  auto checkpoint = GaugeFamily("irm_projection_checkpoint_position",
                                "Last log position a projection has applied");
  auto proj_events = GaugeFamily("irm_projection_lag_events", "Head minus a projection's checkpoint");
  auto proj_seconds = GaugeFamily("irm_projection_lag_seconds",
                                  "Age of the oldest event a projection has not applied yet");
  auto failed = GaugeFamily("irm_projection_failed", "1 if a projection stopped on an error");
  for (const projection::ProjectionStatus& status : projections_->List()) {
    AddGauge(checkpoint, static_cast<double>(status.checkpoint), "projection", status.name);
    AddGauge(proj_events, static_cast<double>(status.lag_events), "projection", status.name);
    AddGauge(proj_seconds, status.lag_seconds, "projection", status.name);
    AddGauge(failed, status.error.empty() ? 0.0 : 1.0, "projection", status.name);
  }
  families.push_back(std::move(checkpoint));
  families.push_back(std::move(proj_events));
  families.push_back(std::move(proj_seconds));
  families.push_back(std::move(failed));
  return families;
}

}  // namespace irm::services
