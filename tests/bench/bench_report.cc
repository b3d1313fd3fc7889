#include "tests/bench/bench_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace irm::bench {

void LatencySample::Merge(const LatencySample& other) {
  values_.insert(values_.end(), other.values_.begin(), other.values_.end());
  sorted_ = false;
}

int64_t LatencySample::Percentile(double p) {
  if (values_.empty()) return 0;
  if (!sorted_) {
    std::sort(values_.begin(), values_.end());
    sorted_ = true;
  }
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * values_.size()));
  rank = std::clamp<size_t>(rank, 1, values_.size());
  return values_[rank - 1];
}

std::string ToJsonLine(const ScenarioResult& r) {
  nlohmann::ordered_json j;
  j["scenario"] = r.scenario;
  j["clients"] = r.clients;
  j["batch"] = r.batch;
  j["events"] = r.events;
  j["seconds"] = std::round(r.seconds * 1000) / 1000;
  j["events_per_sec"] = std::round(r.events_per_sec);
  j["p50_us"] = r.p50_us;
  j["p99_us"] = r.p99_us;
  j["p999_us"] = r.p999_us;
  j["errors"] = r.errors;
  if (!r.first_error.empty()) j["first_error"] = r.first_error;
  if (r.baseline.has_value()) {
    const BaselineFigures& b = *r.baseline;
    j["raw_events_per_sec"] = std::round(b.events_per_sec);
    j["raw_p50_us"] = b.p50_us;
    j["raw_p99_us"] = b.p99_us;
    j["raw_p999_us"] = b.p999_us;
    j["raw_value_bytes"] = b.value_bytes;
    j["ratio_to_raw"] =
        b.events_per_sec > 0 ? std::round(r.events_per_sec / b.events_per_sec * 1000) / 1000 : 0;
    j["p50_ratio_to_raw"] =
        b.p50_us > 0 ? std::round(1000.0 * r.p50_us / b.p50_us) / 1000 : 0;
  }
  if (r.log_shaped_baseline.has_value()) {
    const BaselineFigures& b = *r.log_shaped_baseline;
    j["raw_log_shaped_events_per_sec"] = std::round(b.events_per_sec);
    j["raw_log_shaped_p50_us"] = b.p50_us;
    j["raw_log_shaped_p99_us"] = b.p99_us;
    j["ratio_to_raw_log_shaped"] =
        b.events_per_sec > 0 ? std::round(r.events_per_sec / b.events_per_sec * 1000) / 1000 : 0;
  }
  if (r.etcd_baseline.has_value()) {
    const BaselineFigures& b = *r.etcd_baseline;
    j["etcd_events_per_sec"] = std::round(b.events_per_sec);
    j["etcd_p50_us"] = b.p50_us;
    j["etcd_p99_us"] = b.p99_us;
    j["etcd_p999_us"] = b.p999_us;
    j["ratio_to_etcd"] =
        b.events_per_sec > 0 ? std::round(r.events_per_sec / b.events_per_sec * 1000) / 1000 : 0;
  }
  if (r.rpc_floor.has_value()) {
    const RpcFloor& f = *r.rpc_floor;
    j["rpc_calls_per_sec"] = std::round(f.calls_per_sec);
    j["rpc_p50_us"] = f.p50_us;
    j["rpc_p99_us"] = f.p99_us;
    j["rpc_p999_us"] = f.p999_us;
    if (f.errors > 0) j["rpc_errors"] = f.errors;
    if (r.baseline.has_value()) {
      const int64_t floor_p50 = f.p50_us + r.baseline->p50_us;
      j["floor_p50_us"] = floor_p50;
      j["p50_ratio_to_floor"] = floor_p50 > 0 ? std::round(1000.0 * r.p50_us / floor_p50) / 1000 : 0;
    }
  }
  if (r.delivery_p50_us.has_value()) j["delivery_p50_us"] = *r.delivery_p50_us;
  if (r.delivery_p99_us.has_value()) j["delivery_p99_us"] = *r.delivery_p99_us;
  if (r.scenario == "subscribe") j["missing"] = r.missing;
  if (r.rss_before_mib.has_value()) j["rss_before_mib"] = std::round(*r.rss_before_mib * 10) / 10;
  if (r.rss_mib.has_value()) j["rss_mib"] = std::round(*r.rss_mib * 10) / 10;
  if (r.bench_cores.has_value()) j["bench_cpu_cores"] = std::round(*r.bench_cores * 100) / 100;
  if (r.irmd_cores.has_value()) j["irmd_cpu_cores"] = std::round(*r.irmd_cores * 100) / 100;
  if (!r.note.empty()) j["note"] = r.note;
  return j.dump();
}

void PrintTable(const std::vector<ScenarioResult>& results, std::ostream& out) {
  out << absl::StrFormat("%-10s %7s %5s %10s %12s %9s %9s %9s %12s %7s %9s\n", "scenario",
                         "clients", "batch", "events", "events/s", "p50_us", "p99_us",
                         "p999_us", "raw_ev/s", "ratio", "rss_MiB");
  for (const ScenarioResult& r : results) {
    std::string raw = "-", ratio = "-", rss = "-";
    if (r.baseline.has_value() && r.baseline->events_per_sec > 0) {
      raw = absl::StrFormat("%.0f", r.baseline->events_per_sec);
      ratio = absl::StrFormat("%.3f", r.events_per_sec / r.baseline->events_per_sec);
    }
    if (r.rss_mib.has_value()) rss = absl::StrFormat("%.1f", *r.rss_mib);
    out << absl::StrFormat("%-10s %7d %5d %10d %12.0f %9d %9d %9d %12s %7s %9s\n", r.scenario,
                           r.clients, r.batch, r.events, r.events_per_sec, r.p50_us, r.p99_us,
                           r.p999_us, raw, ratio, rss);
  }
  for (const ScenarioResult& r : results) {
    if (r.baseline.has_value()) {
      out << absl::StrFormat("  %s c=%d b=%d: raw RocksDB p50/p99/p99.9 %d/%d/%d us, %d B/event\n",
                             r.scenario, r.clients, r.batch, r.baseline->p50_us,
                             r.baseline->p99_us, r.baseline->p999_us, r.baseline->value_bytes);
    }
    if (r.log_shaped_baseline.has_value()) {
      out << absl::StrFormat("  %s c=%d b=%d: log-shaped raw RocksDB %.0f events/s, p50/p99 %d/%d us\n",
                             r.scenario, r.clients, r.batch, r.log_shaped_baseline->events_per_sec,
                             r.log_shaped_baseline->p50_us, r.log_shaped_baseline->p99_us);
    }
    if (r.etcd_baseline.has_value()) {
      const BaselineFigures& b = *r.etcd_baseline;
      out << absl::StrFormat(
          "  %s c=%d b=%d: raw etcd compare-and-put %.0f events/s (ratio %.3f), p50/p99/p99.9 "
          "%d/%d/%d us\n",
          r.scenario, r.clients, r.batch, b.events_per_sec,
          b.events_per_sec > 0 ? r.events_per_sec / b.events_per_sec : 0.0, b.p50_us, b.p99_us,
          b.p999_us);
    }
    if (r.rpc_floor.has_value()) {
      const RpcFloor& f = *r.rpc_floor;
      out << absl::StrFormat("  %s c=%d b=%d: no-op GetLogInfo %.0f calls/s, p50/p99/p99.9 %d/%d/%d us",
                             r.scenario, r.clients, r.batch, f.calls_per_sec, f.p50_us, f.p99_us,
                             f.p999_us);
      if (r.baseline.has_value()) {
        const int64_t floor_p50 = f.p50_us + r.baseline->p50_us;
        out << absl::StrFormat("; floor p50 (round trip + raw write) %d us, p50/floor %.3f",
                               floor_p50, floor_p50 > 0 ? 1.0 * r.p50_us / floor_p50 : 0.0);
      }
      out << "\n";
    }
    if (r.delivery_p50_us.has_value()) {
      out << absl::StrFormat("  subscribe: per delivery p50/p99 %d/%d us, missing %d\n",
                             *r.delivery_p50_us, r.delivery_p99_us.value_or(0), r.missing);
    }
    if (r.errors > 0) {
      out << absl::StrFormat("  %s: %d errors, first: %s\n", r.scenario, r.errors, r.first_error);
    }
    if (!r.note.empty()) out << "  " << r.scenario << ": " << r.note << "\n";
  }
}

}  // namespace irm::bench
