// Keepalive: an idle subscription to the real irmd survives a client that pings every second.
//
// Why this proves irmd's policy (interface.md): gRPC C++'s default server policy
// (GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS = 5 min, GRPC_ARG_HTTP2_MAX_PING_STRIKES
// = 2) counts a strike for every ping that arrives sooner than 5 minutes after the previous
// one while the server sends no data or headers, and answers the third strike with GOAWAY
// ENHANCE_YOUR_CALM "too_many_pings", closing the connection and failing its calls with
// UNAVAILABLE. An idle subscription sends nothing, so with a ping every second the default
// policy ends it after about 3 s, far inside the 25 s idle wait here. The test also shows
// this on a control: an in-process server built with gRPC's defaults whose Subscribe stays
// silent must lose the same client's call within the wait; otherwise the client did not
// ping often enough and the test would prove nothing.
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/support/irmd_process.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using api::v1::LogService;
using api::v1::SubscribeRequest;
using api::v1::SubscribeResponse;

constexpr absl::Duration kIdle = absl::Seconds(25);

// A client that pings every second, with or without calls, with no cap on pings sent while
// no data flows.
std::shared_ptr<grpc::Channel> PingingChannel(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 1000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
}

// Reads one Subscribe call on a thread of its own, recording its events and how it ended.
// Thread-safe; the destructor cancels the call and joins the thread.
class SubscriptionWatch {
 public:
  SubscriptionWatch(LogService::Stub* stub, const SubscribeRequest& request)
      : thread_([this, stub, request] {
          std::unique_ptr<grpc::ClientReader<SubscribeResponse>> reader =
              stub->Subscribe(&context_, request);
          SubscribeResponse response;
          while (reader->Read(&response)) {
            absl::MutexLock lock(&mu_);
            for (const auto& event : response.events()) events_.push_back(event);
          }
          grpc::Status status = reader->Finish();
          absl::MutexLock lock(&mu_);
          status_ = status;
          ended_ = true;
        }) {}

  ~SubscriptionWatch() {
    context_.TryCancel();
    thread_.join();
  }

  // True once the call has ended, waiting up to `timeout` for it.
  bool WaitEnded(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&ended_), timeout);
  }

  // True once at least `count` events arrived, waiting up to `timeout`.
  bool WaitEvents(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count] {
      mu_.AssertHeld();
      return events_.size() >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

  std::vector<event::v1::EventRecord> events() {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  std::string ending() {
    absl::MutexLock lock(&mu_);
    if (!ended_) return "still open";
    return "code " + std::to_string(status_.error_code()) + ": " + status_.error_message();
  }

 private:
  grpc::ClientContext context_;
  absl::Mutex mu_;
  std::vector<event::v1::EventRecord> events_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the members above exist
};

// The control's LogService: Subscribe answers nothing until the client cancels.
class SilentLogService final : public LogService::CallbackService {
  grpc::ServerWriteReactor<SubscribeResponse>* Subscribe(grpc::CallbackServerContext*,
                                                         const SubscribeRequest*) override {
    class Silent final : public grpc::ServerWriteReactor<SubscribeResponse> {
      void OnCancel() override { Finish(grpc::Status::CANCELLED); }
      void OnDone() override { delete this; }
    };
    return new Silent;
  }
};

TEST(KeepaliveTest, IdleSubscriptionSurvivesAClientPingingEverySecond) {
  TempDir dir("irm-keepalive");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();

  // The control: gRPC's default server policy, same client settings.
  SilentLogService silent;
  grpc::ServerBuilder builder;
  int control_port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &control_port);
  builder.RegisterService(&silent);
  std::unique_ptr<grpc::Server> control = builder.BuildAndStart();
  ASSERT_NE(control, nullptr);
  std::unique_ptr<LogService::Stub> control_stub =
      LogService::NewStub(PingingChannel("127.0.0.1:" + std::to_string(control_port)));
  SubscriptionWatch control_watch(control_stub.get(), SubscribeRequest());

  std::shared_ptr<grpc::Channel> channel = PingingChannel((*irmd)->address());
  std::unique_ptr<LogService::Stub> stub = LogService::NewStub(channel);
  SubscribeRequest from_end;
  from_end.set_start(api::v1::SUBSCRIBE_FROM_END);
  SubscriptionWatch watch(stub.get(), from_end);

  const absl::Time started = absl::Now();
  EXPECT_FALSE(watch.WaitEnded(kIdle)) << "irmd ended the idle subscription after "
                                       << absl::Now() - started << ": " << watch.ending();
  EXPECT_TRUE(watch.events().empty());
  EXPECT_TRUE(control_watch.WaitEnded(absl::ZeroDuration()))
      << "control: a default-policy server kept the call for " << kIdle
      << ", so the client did not ping often enough for this test to mean anything";
  std::cout << "control call ended with " << control_watch.ending() << std::endl;

  // One event appended through another channel reaches the idle subscription.
  std::unique_ptr<LogService::Stub> writer = LogService::NewStub(
      grpc::CreateChannel((*irmd)->address(), grpc::InsecureChannelCredentials()));
  api::v1::AppendRequest append;
  append.set_stream("keepalive-1");
  api::v1::ProposedEvent* event = append.add_events();
  event->set_type("StillHere");
  event->set_content_type(event::v1::CONTENT_TYPE_JSON);
  event->set_data("{}");
  grpc::ClientContext append_context;
  api::v1::AppendResponse appended;
  grpc::Status append_status = writer->Append(&append_context, append, &appended);
  ASSERT_TRUE(append_status.ok()) << append_status.error_message();

  ASSERT_TRUE(watch.WaitEvents(1, absl::Seconds(5))) << watch.ending();
  std::vector<event::v1::EventRecord> events = watch.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].position(), appended.last_position());
  EXPECT_EQ(events[0].type(), "StillHere");
  EXPECT_EQ(watch.ending(), "still open");
  EXPECT_EQ(channel->GetState(/*try_to_connect=*/false), GRPC_CHANNEL_READY);

  control->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  // SIGTERM ends the subscription with UNAVAILABLE, naming where to resume. (irmd then
  // waits, up to its 10 s drain deadline, for this process's idle connections to close.)
  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
  ASSERT_TRUE(watch.WaitEnded(absl::Seconds(1)));
  const std::string ending = watch.ending();
  EXPECT_EQ(ending.rfind("code 14:", 0), 0u) << ending;  // UNAVAILABLE
  EXPECT_NE(ending.find("position 2"), std::string::npos) << ending;
}

}  // namespace
}  // namespace irm::tests
