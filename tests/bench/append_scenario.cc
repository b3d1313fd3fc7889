// The append scenario (scenarios.h): concurrent durable appends, and the raw baseline.
#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/uuid.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/bench/raw_baseline.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {
namespace {

constexpr int kClientsPerChannel = 8;

struct ClientState {
  LatencySample latency;
  uint64_t events = 0;
  uint64_t errors = 0;
  std::string first_error;
};

api::v1::AppendRequest MakeRequest(const BenchConfig& config, int client, uint64_t* seq) {
  api::v1::AppendRequest request;
  request.set_stream(absl::StrCat("bench-", config.run_id, "-c", client));
  request.set_expected(api::v1::EXPECTED_ANY);
  for (int i = 0; i < config.batch; ++i) {
    api::v1::ProposedEvent* event = request.add_events();
    event->set_id(common::Uuid::Random().ToString());
    event->set_type("BenchEventAppended");
    event->set_content_type(event::v1::CONTENT_TYPE_JSON);
    std::string data = absl::StrCat(R"({"client":)", client, R"(,"seq":)", (*seq)++, R"(,"pad":")");
    const size_t pad = config.data_bytes > data.size() + 2 ? config.data_bytes - data.size() - 2 : 0;
    absl::StrAppend(&data, std::string(pad, 'x'), R"("})");
    event->set_data(std::move(data));
  }
  return request;
}

// The stored size of the last event in the log (the bytes the writer puts in RocksDB).
size_t LastRecordBytes(api::v1::LogService::Stub* stub, size_t fallback) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  api::v1::ReadAllRequest request;
  request.set_from_end(true);
  request.set_backwards(true);
  request.set_limit(1);
  auto reader = stub->ReadAll(&context, request);
  api::v1::ReadResponse response;
  size_t bytes = fallback;
  while (reader->Read(&response)) {
    if (response.events_size() > 0) bytes = response.events(0).ByteSizeLong();
  }
  reader->Finish();
  return bytes;
}

}  // namespace

absl::StatusOr<ScenarioResult> RunAppend(const BenchConfig& config) {
  const int channel_count = (config.clients + kClientsPerChannel - 1) / kClientsPerChannel;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < channel_count; ++c) channels.push_back(MakeChannel(config.server, c));

  std::vector<ClientState> states(config.clients);
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < config.clients; ++t) {
    threads.emplace_back([&, t] {
      auto stub = api::v1::LogService::NewStub(channels[t / kClientsPerChannel]);
      ClientState& state = states[t];
      uint64_t seq = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        api::v1::AppendRequest request = MakeRequest(config, t, &seq);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        context.set_wait_for_ready(true);
        api::v1::AppendResponse response;
        const bool counted = measuring.load(std::memory_order_relaxed);
        const int64_t start = SteadyMicros();
        grpc::Status status = stub->Append(&context, request, &response);
        const int64_t micros = SteadyMicros() - start;
        if (!counted) continue;
        if (!status.ok()) {
          if (state.errors++ == 0) {
            state.first_error = absl::StrCat(status.error_code(), " ", status.error_message());
          }
          continue;
        }
        state.latency.Add(micros);
        state.events += config.batch;
      }
    });
  }
  absl::SleepFor(config.warmup);
  CpuMeter cpu(config.irmd_pid.has_value() ? config.irmd_pid : FindIrmdPid());
  ScenarioResult result;
  measuring.store(true);
  cpu.Start();
  const absl::Time begin = absl::Now();
  absl::SleepFor(config.duration);
  measuring.store(false);
  cpu.Stop(&result);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  stop.store(true);
  for (std::thread& thread : threads) thread.join();

  result.scenario = "append";
  result.clients = config.clients;
  result.batch = config.batch;
  result.seconds = seconds;
  LatencySample all;
  for (ClientState& state : states) {
    all.Merge(state.latency);
    result.events += state.events;
    result.errors += state.errors;
    if (result.first_error.empty()) result.first_error = state.first_error;
  }
  result.events_per_sec = seconds > 0 ? result.events / seconds : 0;
  result.p50_us = all.Percentile(50);
  result.p99_us = all.Percentile(99);
  result.p999_us = all.Percentile(99.9);

  if (!config.baseline_dir.empty()) {
    auto stub = api::v1::LogService::NewStub(channels[0]);
    RawBaselineOptions raw;
    raw.parent_dir = config.baseline_dir;
    raw.threads = config.clients;
    raw.batch = config.batch;
    raw.value_bytes = LastRecordBytes(stub.get(), config.data_bytes);
    raw.duration = config.duration;
    raw.warmup = config.warmup;
    absl::StatusOr<BaselineFigures> figures = RunRawBaseline(raw);
    if (figures.ok()) {
      result.baseline = *figures;
    } else {
      result.note = absl::StrCat("no raw baseline: ", figures.status().message());
    }
    if (config.log_shaped_baseline && figures.ok()) {
      raw.log_shaped = true;
      figures = RunRawBaseline(raw);
      if (figures.ok()) result.log_shaped_baseline = *figures;
    }
  }
  return result;
}

}  // namespace irm::bench
