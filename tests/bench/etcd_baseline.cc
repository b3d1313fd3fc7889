#include "tests/bench/etcd_baseline.h"

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "engine/cluster/etcd_client.h"

namespace irm::bench {

absl::StatusOr<BaselineFigures> RunEtcdBaseline(const EtcdBaselineOptions& options,
                                                std::string* note) {
  if (options.batch < 1 || options.batch > 127) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the etcd baseline's batch is ", options.batch,
        "; etcd takes at most 127 events and a head per transaction"));
  }
  cluster::EtcdClientOptions client_options;
  client_options.endpoints = options.endpoints;
  absl::StatusOr<std::unique_ptr<cluster::EtcdClient>> client =
      cluster::EtcdClient::Create(client_options);
  if (!client.ok()) return client.status();
  {
    etcdserverpb::RangeRequest probe;
    probe.set_key("/irm/head");
    if (absl::StatusOr<etcdserverpb::RangeResponse> r = (*client)->Range(probe); !r.ok()) {
      return absl::UnavailableError(absl::StrCat("etcd cannot be reached: ", r.status().message()));
    }
  }
  const std::string value(options.value_bytes, 'x');
  const std::string prefix = absl::StrCat("/irm-bench/", options.run_id, "/");
  const int64_t start = SteadyMicros();
  const int64_t measure_from = start + absl::ToInt64Microseconds(options.warmup);
  const int64_t measure_to = measure_from + absl::ToInt64Microseconds(options.duration);
  absl::Mutex mu;
  LatencySample merged;
  uint64_t transactions = 0;
  uint64_t errors = 0;
  std::string first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    threads.emplace_back([&, t] {
      LatencySample latency;
      uint64_t done = 0, failed = 0;
      std::string error;
      const std::string head_key = absl::StrCat(prefix, t, "/head");
      int64_t version = 0;  // the head's version after this thread's last transaction
      uint64_t position = 0;
      for (;;) {
        const int64_t began = SteadyMicros();
        if (began >= measure_to) break;
        etcdserverpb::TxnRequest txn;
        etcdserverpb::Compare* compare = txn.add_compare();
        compare->set_key(head_key);
        compare->set_target(etcdserverpb::Compare::VERSION);
        compare->set_result(etcdserverpb::Compare::EQUAL);
        compare->set_version(version);
        for (int e = 0; e < options.batch; ++e) {
          etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
          put->set_key(absl::StrCat(prefix, t, "/log/", absl::StrFormat("%020d", ++position)));
          put->set_value(value);
        }
        etcdserverpb::PutRequest* head = txn.add_success()->mutable_request_put();
        head->set_key(head_key);
        head->set_value(absl::StrCat(position));
        absl::StatusOr<etcdserverpb::TxnResponse> response =
            (*client)->Txn(txn, cluster::EtcdClient::Resend::kGuarded);
        const int64_t ended = SteadyMicros();
        const bool counted = began >= measure_from;
        if (response.ok() && response->succeeded()) {
          ++version;
          if (counted) {
            ++done;
            latency.Add(ended - began);
          }
        } else {
          if (counted) ++failed;
          if (error.empty()) {
            error = response.ok() ? "a compare failed" : std::string(response.status().message());
          }
          break;  // the head's version is unknown now
        }
      }
      absl::MutexLock lock(&mu);
      merged.Merge(latency);
      transactions += done;
      errors += failed;
      if (first_error.empty()) first_error = error;
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (errors > 0 || !first_error.empty()) {
    absl::StrAppend(note, "etcd baseline: ", errors, " failed transactions, first: ",
                    first_error, "; ");
  }
  BaselineFigures figures;
  figures.events_per_sec =
      transactions * options.batch / absl::ToDoubleSeconds(options.duration);
  figures.p50_us = merged.Percentile(50);
  figures.p99_us = merged.Percentile(99);
  figures.p999_us = merged.Percentile(99.9);
  figures.value_bytes = options.value_bytes;
  return figures;
}

}  // namespace irm::bench
