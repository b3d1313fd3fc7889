// SIGTERM under load, against the real irmd: 64 writers appending, 500 live subscriptions
// and an open Health/Watch. Health goes NOT_SERVING at once, irmd exits 0 within 2 s, and
// every append it acknowledged is in the log after a restart. A timing test: ctest runs it
// alone (RUN_SERIAL, label serial).
#include <signal.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/sync_stream.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/support/irmd_process.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

constexpr int kWriters = 64;
constexpr int kSubscribers = 500;

// A live subscription from position 1 on the callback API (no thread per subscriber).
class Subscriber final : public grpc::ClientReadReactor<api::v1::SubscribeResponse> {
 public:
  Subscriber(api::v1::LogService::Stub* stub, absl::Mutex* mu, int* open)
      : mu_(mu), open_(open) {
    request_.set_from_position(1);
    stub->async()->Subscribe(&context_, &request_, this);
    StartRead(&response_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (ok) StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(mu_);
    --*open_;
    status_ = status;
  }
  void Cancel() { context_.TryCancel(); }

 private:
  grpc::ClientContext context_;
  api::v1::SubscribeRequest request_;
  api::v1::SubscribeResponse response_;
  absl::Mutex* mu_;
  int* open_;
  grpc::Status status_;
};

// What an acknowledged append said: its stream, revision and position.
struct Ack {
  std::string stream;
  uint64_t revision;
  uint64_t position;
};

TEST(E2eShutdownTest, SigtermUnderLoadIsNotServingAtOnceExitsWithinTwoSecondsAndLosesNoAck) {
  TempDir dir("irm-shutdown");
  auto irmd = IrmdProcess::Start(dir.path());
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  auto channel = grpc::CreateChannel((*irmd)->address(), grpc::InsecureChannelCredentials());
  auto stub = api::v1::LogService::NewStub(channel);

  // Health/Watch (grpc.health.v1, service ""): the request is empty; a response is field 1,
  // the status enum: 1 SERVING, 2 NOT_SERVING.
  absl::Mutex watch_mu;
  bool watch_serving = false;
  absl::Time not_serving_at = absl::InfiniteFuture();
  grpc::ClientContext watch_context;
  std::thread watcher([&] {
    grpc::Slice empty("", 0);
    grpc::ByteBuffer request(&empty, 1);  // an empty HealthCheckRequest
    auto reader = std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>>(
        grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
            channel.get(),
            grpc::internal::RpcMethod("/grpc.health.v1.Health/Watch",
                                      grpc::internal::RpcMethod::SERVER_STREAMING),
            &watch_context, request));
    grpc::ByteBuffer response;
    while (reader->Read(&response)) {
      std::vector<grpc::Slice> slices;
      std::string bytes;
      if (response.Dump(&slices).ok()) {
        for (const grpc::Slice& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      absl::MutexLock lock(&watch_mu);
      if (bytes == std::string("\x08\x01", 2)) watch_serving = true;
      if (bytes == std::string("\x08\x02", 2) && not_serving_at == absl::InfiniteFuture()) {
        not_serving_at = absl::Now();
      }
    }
    reader->Finish();
  });
  {
    absl::MutexLock lock(&watch_mu);
    ASSERT_TRUE(watch_mu.AwaitWithTimeout(absl::Condition(&watch_serving), absl::Seconds(20)))
        << "Health/Watch never said SERVING";
  }

  absl::Mutex subscribers_mu;
  int subscribers_open = kSubscribers;
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.push_back(std::make_unique<Subscriber>(stub.get(), &subscribers_mu,
                                                       &subscribers_open));
  }

  absl::Mutex acks_mu;
  std::vector<Ack> acks;
  std::atomic<bool> stop_writing{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      while (!stop_writing.load()) {
        api::v1::AppendRequest request;
        request.set_stream(absl::StrCat("load-", w));
        api::v1::ProposedEvent* event = request.add_events();
        event->set_type("Loaded");
        event->set_content_type(event::v1::CONTENT_TYPE_JSON);
        event->set_data("{}");
        api::v1::AppendResponse response;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        const grpc::Status status = stub->Append(&context, request, &response);
        if (!status.ok()) {  // draining or gone: nothing more is acknowledged
          if (!stop_writing.load() && status.error_code() != grpc::StatusCode::UNAVAILABLE) {
            ADD_FAILURE() << "append failed: " << status.error_message();
          }
          break;
        }
        absl::MutexLock lock(&acks_mu);
        acks.push_back({response.stream(), response.last_revision(), response.last_position()});
      }
    });
  }
  // Under load: wait until the writers have had 2,000 appends acknowledged.
  {
    absl::MutexLock lock(&acks_mu);
    auto loaded = [&acks]() { return acks.size() >= 2000; };
    EXPECT_TRUE(acks_mu.AwaitWithTimeout(absl::Condition(&loaded), absl::Seconds(60)));
  }

  const absl::Time sigterm_at = absl::Now();
  const absl::Status stopped = (*irmd)->Stop();  // SIGTERM, then waits for the exit
  const absl::Duration exit_took = absl::Now() - sigterm_at;
  EXPECT_TRUE(stopped.ok()) << stopped;
  EXPECT_LT(exit_took, absl::Seconds(2)) << "irmd took " << exit_took << " to exit";
  {
    absl::MutexLock lock(&watch_mu);
    EXPECT_LT(not_serving_at - sigterm_at, absl::Milliseconds(500))
        << "Health/Watch did not say NOT_SERVING at once";
  }
  stop_writing = true;
  for (std::thread& t : writers) t.join();
  watch_context.TryCancel();
  watcher.join();
  for (auto& s : subscribers) s->Cancel();
  {
    absl::MutexLock lock(&subscribers_mu);
    auto closed = [&subscribers_open]() { return subscribers_open == 0; };
    subscribers_mu.Await(absl::Condition(&closed));
  }

  // Every acknowledged append is in the log, at its position, after a restart.
  auto restarted = IrmdProcess::Start(dir.path());
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  auto channel2 = grpc::CreateChannel((*restarted)->address(), grpc::InsecureChannelCredentials());
  auto stub2 = api::v1::LogService::NewStub(channel2);
  std::vector<event::v1::EventRecord> log;
  log.emplace_back();  // positions from 1
  for (bool more = true; more;) {
    api::v1::ReadAllRequest request;
    request.set_from_position(log.size());
    grpc::ClientContext context;
    auto reader = stub2->ReadAll(&context, request);
    api::v1::ReadResponse response;
    more = false;
    while (reader->Read(&response)) {
      for (const event::v1::EventRecord& e : response.events()) log.push_back(e);
      more = !response.reached_end();
    }
    ASSERT_TRUE(reader->Finish().ok());
  }
  absl::MutexLock lock(&acks_mu);
  size_t lost = 0;
  for (const Ack& ack : acks) {
    if (ack.position >= log.size() || log[ack.position].stream() != ack.stream ||
        log[ack.position].revision() != ack.revision) {
      ++lost;
    }
  }
  EXPECT_EQ(lost, 0u) << "of " << acks.size() << " acknowledged appends";
  EXPECT_TRUE((*restarted)->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
