// The append scenario (scenarios.h): concurrent durable appends as closed loops on the
// async API (closed_loop.h), the no-op round-trip floor, and the raw baseline.
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/bench/closed_loop.h"
#include "tests/bench/etcd_baseline.h"
#include "tests/bench/raw_baseline.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {
namespace {

constexpr int kClientsPerChannel = 8;

api::v1::AppendRequest MakeRequest(const BenchConfig& config, int client, uint64_t* seq) {
  api::v1::AppendRequest request;
  request.set_stream(absl::StrCat("bench-", config.run_id, "-c", client));
  for (int i = 0; i < config.batch; ++i) {
    api::v1::ProposedEvent* event = request.add_events();
    event->set_id(common::Uuid::Random().Bytes());
    event->set_type("BenchEventAppended");
    event->set_content_type(event::v1::CONTENT_TYPE_JSON);
    std::string data = absl::StrCat(R"({"client":)", client, R"(,"seq":)", (*seq)++, R"(,"pad":")");
    const size_t pad = config.data_bytes > data.size() + 2 ? config.data_bytes - data.size() - 2 : 0;
    absl::StrAppend(&data, std::string(pad, 'x'), R"("})");
    event->set_data(std::move(data));
  }
  return request;
}

// One append client: appends batches to its own stream, one call in flight at a time.
class AppendCaller : public UnaryLoopCaller<api::v1::AppendRequest, api::v1::AppendResponse> {
 public:
  AppendCaller(const BenchConfig& config, int client, std::shared_ptr<grpc::Channel> channel)
      : UnaryLoopCaller([stub = std::shared_ptr<api::v1::LogService::Stub>(
                             api::v1::LogService::NewStub(channel))](
                            grpc::ClientContext* context, const api::v1::AppendRequest& request,
                            grpc::CompletionQueue* cq) {
          return stub->PrepareAsyncAppend(context, request, cq);
        }),
        config_(config),
        client_(client) {}
  void Prepare() override { request_ = MakeRequest(config_, client_, &seq_); }

 private:
  const BenchConfig config_;
  const int client_;
  uint64_t seq_ = 0;
};

// A no-op round trip (GetLogInfo): the transport's share of an append.
std::unique_ptr<LoopCaller> MakeInfoCaller(std::shared_ptr<grpc::Channel> channel) {
  std::shared_ptr<api::v1::LogService::Stub> stub = api::v1::LogService::NewStub(channel);
  return std::make_unique<UnaryLoopCaller<api::v1::GetLogInfoRequest, api::v1::LogInfo>>(
      [stub](grpc::ClientContext* context, const api::v1::GetLogInfoRequest& request,
             grpc::CompletionQueue* cq) {
        return stub->PrepareAsyncGetLogInfo(context, request, cq);
      });
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

  std::vector<std::unique_ptr<LoopCaller>> appenders;
  for (int t = 0; t < config.clients; ++t) {
    appenders.push_back(
        std::make_unique<AppendCaller>(config, t, channels[t / kClientsPerChannel]));
  }
  CpuMeter cpu(config.irmd_pid.has_value() ? config.irmd_pid : FindIrmdPid());
  ScenarioResult result;
  LoopFigures appends =
      RunClosedLoop(std::move(appenders), config.warmup, config.duration, &cpu, &result);

  result.scenario = "append";
  result.clients = config.clients;
  result.batch = config.batch;
  result.seconds = appends.seconds;
  result.events = appends.calls * config.batch;
  result.errors = appends.errors;
  result.first_error = appends.first_error;
  result.events_per_sec = appends.seconds > 0 ? result.events / appends.seconds : 0;
  result.p50_us = appends.latency.Percentile(50);
  result.p99_us = appends.latency.Percentile(99);
  result.p999_us = appends.latency.Percentile(99.9);

  if (config.rpc_floor) {
    std::vector<std::unique_ptr<LoopCaller>> pingers;
    for (int t = 0; t < config.clients; ++t) {
      pingers.push_back(MakeInfoCaller(channels[t / kClientsPerChannel]));
    }
    LoopFigures pings = RunClosedLoop(std::move(pingers), config.warmup, config.duration,
                                      /*cpu=*/nullptr, /*cpu_result=*/nullptr);
    RpcFloor floor;
    floor.calls_per_sec = pings.seconds > 0 ? pings.calls / pings.seconds : 0;
    floor.p50_us = pings.latency.Percentile(50);
    floor.p99_us = pings.latency.Percentile(99);
    floor.p999_us = pings.latency.Percentile(99.9);
    floor.errors = pings.errors;
    result.rpc_floor = floor;
    if (pings.errors > 0) {
      absl::StrAppend(&result.note, pings.errors, " GetLogInfo calls failed, first: ",
                      pings.first_error, "; ");
    }
  }

  if (!config.baseline_dir.empty()) {
    auto stub = api::v1::LogService::NewStub(channels[0]);
    RawBaselineOptions raw;
    raw.parent_dir = config.baseline_dir;
    raw.threads = config.clients;
    raw.batch = config.batch;
    raw.value_bytes = LastRecordBytes(stub.get(), config.data_bytes);
    raw.duration = config.duration;
    raw.warmup = config.warmup;
    raw.rocksdb_options = config.raw_rocksdb_options;
    absl::StatusOr<BaselineFigures> figures = RunRawBaseline(raw);
    if (figures.ok()) {
      result.baseline = *figures;
    } else {
      absl::StrAppend(&result.note, "no raw baseline: ", figures.status().message());
    }
    if (config.log_shaped_baseline && figures.ok()) {
      raw.log_shaped = true;
      figures = RunRawBaseline(raw);
      if (figures.ok()) result.log_shaped_baseline = *figures;
    }
  }
  if (!config.etcd_baseline.empty()) {
    auto stub = api::v1::LogService::NewStub(channels[0]);
    EtcdBaselineOptions etcd;
    etcd.endpoints = config.etcd_baseline;
    etcd.run_id = config.run_id;
    etcd.threads = config.clients;
    etcd.batch = config.batch;
    etcd.value_bytes = LastRecordBytes(stub.get(), config.data_bytes);
    etcd.duration = config.duration;
    etcd.warmup = config.warmup;
    absl::StatusOr<BaselineFigures> figures = RunEtcdBaseline(etcd, &result.note);
    if (figures.ok()) {
      result.etcd_baseline = *figures;
    } else {
      absl::StrAppend(&result.note, "no etcd baseline: ", figures.status().message(), "; ");
    }
  }
  return result;
}

}  // namespace irm::bench
