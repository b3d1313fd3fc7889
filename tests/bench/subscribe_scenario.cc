// The subscribe scenario (scenarios.h): many live subscribers, one paced writer.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {
namespace {

constexpr int kSubscribersPerChannel = 50;

// Per written event: how many subscribers saw it and the slowest of them.
struct EventSlot {
  std::atomic<int> received{0};
  std::atomic<int64_t> max_latency_us{0};
};

struct Shared {
  std::string stream;
  std::vector<EventSlot> slots;
  std::atomic<int> caught_up{0};
  absl::Mutex mu;
  int done = 0;  // subscribers whose call ended; guarded by mu
};

// Reads "key":NUMBER from a small JSON object; -1 if absent.
int64_t JsonNumber(const std::string& data, const char* key) {
  const std::string needle = absl::StrCat("\"", key, "\":");
  size_t at = data.find(needle);
  if (at == std::string::npos) return -1;
  return std::strtoll(data.c_str() + at + needle.size(), nullptr, 10);
}

// One subscription from the end, on the callback API; owned by the scenario, which waits
// for OnDone before destroying it.
class Subscriber : public grpc::ClientReadReactor<api::v1::SubscribeResponse> {
 public:
  Subscriber(api::v1::LogService::Stub* stub, Shared* shared) : shared_(shared) {
    request_.set_start(api::v1::SUBSCRIBE_FROM_END);
    stub->async()->Subscribe(&context_, &request_, this);
    StartRead(&response_);
    StartCall();
  }
  void Cancel() { context_.TryCancel(); }
  LatencySample& deliveries() { return deliveries_; }
  const grpc::Status& status() const { return status_; }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows
    const int64_t now = SteadyMicros();
    if (response_.caught_up()) shared_->caught_up.fetch_add(1);
    for (const auto& event : response_.events()) {
      if (event.stream() != shared_->stream) continue;
      const int64_t seq = JsonNumber(event.data(), "seq");
      const int64_t sent = JsonNumber(event.data(), "sent_us");
      if (seq < 0 || sent < 0 || seq >= static_cast<int64_t>(shared_->slots.size())) continue;
      const int64_t latency = now - sent;
      deliveries_.Add(latency);
      EventSlot& slot = shared_->slots[seq];
      int64_t seen = slot.max_latency_us.load();
      while (latency > seen && !slot.max_latency_us.compare_exchange_weak(seen, latency)) {
      }
      slot.received.fetch_add(1);
    }
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    absl::MutexLock lock(&shared_->mu);
    ++shared_->done;
  }

 private:
  Shared* const shared_;
  grpc::ClientContext context_;
  api::v1::SubscribeRequest request_;
  api::v1::SubscribeResponse response_;
  LatencySample deliveries_;  // touched only by this reactor's serialized callbacks
  grpc::Status status_;
};

}  // namespace

absl::StatusOr<ScenarioResult> RunSubscribe(const BenchConfig& config) {
  ScenarioResult result;
  result.scenario = "subscribe";
  result.clients = config.subscribers;
  result.batch = 1;
  std::optional<int> pid = config.irmd_pid.has_value() ? config.irmd_pid : FindIrmdPid();
  if (pid.has_value()) result.rss_before_mib = ReadRssMib(*pid);

  const int planned = static_cast<int>(config.subscribe_rate *
                                       absl::ToDoubleSeconds(config.duration)) + 16;
  auto shared_owner = std::make_unique<Shared>();
  Shared& shared = *shared_owner;
  shared.stream = absl::StrCat("bench-", config.run_id, "-sub");
  shared.slots = std::vector<EventSlot>(planned);
  std::vector<std::unique_ptr<api::v1::LogService::Stub>> stubs;
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int s = 0; s < config.subscribers; ++s) {
    if (s % kSubscribersPerChannel == 0) {
      stubs.push_back(api::v1::LogService::NewStub(MakeChannel(config.server, 3000 + s)));
    }
    subscribers.push_back(std::make_unique<Subscriber>(stubs.back().get(), &shared));
  }
  const absl::Time connect_deadline = absl::Now() + absl::Seconds(60);
  while (shared.caught_up.load() < config.subscribers && absl::Now() < connect_deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (shared.caught_up.load() < config.subscribers) {
    result.note = absl::StrCat("only ", shared.caught_up.load(), " of ", config.subscribers,
                               " subscribers caught up within 60 s; ");
  }

  // The writer: one event per tick, the send time in its data.
  auto writer = api::v1::LogService::NewStub(MakeChannel(config.server, 2999));
  const int64_t interval_us = static_cast<int64_t>(1e6 / config.subscribe_rate);
  CpuMeter cpu(pid);
  cpu.Start();
  const int64_t begin = SteadyMicros();
  const int64_t end = begin + absl::ToInt64Microseconds(config.duration);
  double peak_rss = result.rss_before_mib.value_or(0);
  int written = 0;
  for (int64_t next = begin; next < end && written < planned; next += interval_us) {
    while (SteadyMicros() < next) absl::SleepFor(absl::Microseconds(200));
    api::v1::AppendRequest request;
    request.set_stream(shared.stream);
    api::v1::ProposedEvent* event = request.add_events();
    event->set_type("BenchPing");
    event->set_content_type(event::v1::CONTENT_TYPE_JSON);
    event->set_data(absl::StrCat(R"({"seq":)", written, R"(,"sent_us":)", SteadyMicros(), "}"));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    api::v1::AppendResponse response;
    grpc::Status status = writer->Append(&context, request, &response);
    if (!status.ok()) {
      if (result.errors++ == 0) result.first_error = status.error_message();
      continue;
    }
    ++written;
    if (pid.has_value() && written % 10 == 0) {
      peak_rss = std::max(peak_rss, ReadRssMib(*pid).value_or(0));
    }
  }
  const double seconds = (SteadyMicros() - begin) / 1e6;
  cpu.Stop(&result);
  // Grace period: every written event should reach every subscriber.
  const absl::Time grace = absl::Now() + absl::Seconds(5);
  auto all_delivered = [&] {
    for (int i = 0; i < written; ++i) {
      if (shared.slots[i].received.load() < config.subscribers) return false;
    }
    return true;
  };
  while (!all_delivered() && absl::Now() < grace) absl::SleepFor(absl::Milliseconds(20));
  if (pid.has_value()) {
    result.rss_mib = std::max(peak_rss, ReadRssMib(*pid).value_or(0));
  } else {
    absl::StrAppend(&result.note, "irmd pid unknown (pass --irmd-pid): no rss_mib; ");
  }

  for (auto& subscriber : subscribers) subscriber->Cancel();
  {
    absl::MutexLock lock(&shared.mu);
    auto ended = [&] { return shared.done == config.subscribers; };
    shared.mu.AwaitWithTimeout(absl::Condition(&ended), absl::Seconds(30));
  }
  LatencySample to_all, deliveries;
  for (int i = 0; i < written; ++i) {
    const int received = shared.slots[i].received.load();
    result.missing += config.subscribers - received;
    if (received == config.subscribers) to_all.Add(shared.slots[i].max_latency_us.load());
  }
  for (auto& subscriber : subscribers) {
    deliveries.Merge(subscriber->deliveries());
    const grpc::Status& status = subscriber->status();
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED &&
        result.errors++ == 0) {
      result.first_error = absl::StrCat("subscription ended: ", status.error_message());
    }
  }
  result.events = deliveries.count();
  result.seconds = seconds;
  result.events_per_sec = seconds > 0 ? deliveries.count() / seconds : 0;
  result.p50_us = to_all.Percentile(50);
  result.p99_us = to_all.Percentile(99);
  result.p999_us = to_all.Percentile(99.9);
  result.delivery_p50_us = deliveries.Percentile(50);
  result.delivery_p99_us = deliveries.Percentile(99);
  absl::StrAppend(&result.note, written, " events written at ", config.subscribe_rate,
                  "/s; latency from before the Append call to receipt by the last subscriber");
  {
    // Subscribers are destroyed only after every OnDone ran.
    absl::MutexLock lock(&shared.mu);
    if (shared.done != config.subscribers) {
      // Leak rather than free reactors (and what they point to) that gRPC still holds.
      for (auto& subscriber : subscribers) subscriber.release();
      shared_owner.release();
    }
  }
  return result;
}

}  // namespace irm::bench
