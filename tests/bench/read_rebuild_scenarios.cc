// The read and rebuild scenarios (scenarios.h).
#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {

absl::StatusOr<ScenarioResult> RunRead(const BenchConfig& config) {
  const int readers = config.clients < 1 ? 1 : config.clients;
  struct ReaderState {
    LatencySample gaps;
    uint64_t events = 0;
    std::string error;
  };
  std::vector<ReaderState> states(readers);
  std::vector<std::thread> threads;
  CpuMeter cpu(config.irmd_pid.has_value() ? config.irmd_pid : FindIrmdPid());
  ScenarioResult result;
  cpu.Start();
  const int64_t begin = SteadyMicros();
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&, r] {
      auto stub = api::v1::LogService::NewStub(MakeChannel(config.server, 1000 + r));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
      api::v1::ReadAllRequest request;
      request.set_from_position(1);
      auto reader = stub->ReadAll(&context, request);
      api::v1::ReadResponse response;
      int64_t last = SteadyMicros();
      while (reader->Read(&response)) {
        const int64_t now = SteadyMicros();
        states[r].gaps.Add(now - last);
        last = now;
        states[r].events += response.events_size();
      }
      grpc::Status status = reader->Finish();
      if (!status.ok()) states[r].error = absl::StrCat(status.error_code(), " ", status.error_message());
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = (SteadyMicros() - begin) / 1e6;
  cpu.Stop(&result);

  result.scenario = "read";
  result.clients = readers;
  result.batch = 256;  // the server's chunk size (docs/log.md)
  result.seconds = seconds;
  LatencySample gaps;
  for (ReaderState& state : states) {
    gaps.Merge(state.gaps);
    result.events += state.events;
    if (!state.error.empty() && result.errors++ == 0) result.first_error = state.error;
  }
  result.events_per_sec = seconds > 0 ? result.events / seconds : 0;
  result.p50_us = gaps.Percentile(50);
  result.p99_us = gaps.Percentile(99);
  result.p999_us = gaps.Percentile(99.9);
  result.note = "latency fields: gap between consecutive 256-event chunks";
  return result;
}

absl::StatusOr<ScenarioResult> RunRebuild(const BenchConfig& config) {
  auto stub = api::v1::AdminService::NewStub(MakeChannel(config.server, 2000));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
  api::v1::RebuildProjectionRequest request;
  request.set_name("stream_stats");
  api::v1::RebuildProjectionResponse response;
  const int64_t begin = SteadyMicros();
  grpc::Status status = stub->RebuildProjection(&context, request, &response);
  const int64_t micros = SteadyMicros() - begin;
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("RebuildProjection(stream_stats): ", status.error_message()));
  }
  ScenarioResult result;
  result.scenario = "rebuild";
  result.clients = 1;
  result.batch = 0;
  result.events = response.events();
  result.seconds = response.seconds();
  result.events_per_sec = response.seconds() > 0 ? response.events() / response.seconds() : 0;
  result.p50_us = result.p99_us = result.p999_us = micros;
  result.note = absl::StrCat("server-timed; whole call ", micros / 1000, " ms; digests ",
                             response.equal() ? "equal" : "DIFFER");
  if (!response.equal()) {
    result.errors = 1;
    result.first_error = "rebuilt digest differs from the incremental one";
  }
  return result;
}

}  // namespace irm::bench
