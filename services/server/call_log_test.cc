// The call interceptor on a real loopback gRPC server (health service only), called with a
// generic stub: request ids are taken or made and echoed, codes and methods are reported,
// and the call log writes them at the documented levels.
#include "services/server/call_log.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "services/server/grpc_server.h"

namespace irm::services {
namespace {

constexpr char kCheck[] = "/grpc.health.v1.Health/Check";

class RecordingObserver final : public CallObserver {
 public:
  void OnCallFinished(const FinishedCall& call) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back(call);
  }
  // Waits until `n` calls were reported (the report follows the response by a moment).
  std::vector<FinishedCall> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n] { return calls_.size() >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(10));
    return calls_;
  }

 private:
  absl::Mutex mu_;
  std::vector<FinishedCall> calls_;
};

struct Reply {
  grpc::Status status;
  std::string request_id;  // from the response's initial metadata
};

// health.v1 CheckRequest{service: `service`}, encoded by hand: field 1, length-delimited.
Reply Check(grpc::GenericStub& stub, const std::string& service, const std::string& request_id) {
  std::string bytes = std::string("\x0a", 1) + static_cast<char>(service.size()) + service;
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
  absl::Notification done;
  Reply reply;
  stub.UnaryCall(&context, kCheck, grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) {
                   reply.status = status;
                   done.Notify();
                 });
  done.WaitForNotification();
  auto it = context.GetServerInitialMetadata().find("x-request-id");
  if (it != context.GetServerInitialMetadata().end()) {
    reply.request_id = std::string(it->second.data(), it->second.size());
  }
  return reply;
}

class CallInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(NewCallInterceptorFactory({&observer_}));
    auto started = StartGrpcServer("127.0.0.1:0", {}, nullptr, std::move(factories));
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(*started);
    stub_ = std::make_unique<grpc::GenericStub>(
        grpc::CreateChannel(server_.address, grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_.server) server_.server->Shutdown();
  }

  RecordingObserver observer_;
  StartedServer server_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

TEST_F(CallInterceptorTest, TakesTheClientsRequestIdAndEchoesIt) {
  Reply reply = Check(*stub_, "", "req-42");
  ASSERT_TRUE(reply.status.ok()) << reply.status.error_message();
  EXPECT_EQ(reply.request_id, "req-42");
  std::vector<FinishedCall> calls = observer_.WaitFor(1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, kCheck);
  EXPECT_EQ(calls[0].request_id, "req-42");
  EXPECT_EQ(calls[0].code, grpc::StatusCode::OK);
  EXPECT_THAT(calls[0].peer, ::testing::HasSubstr("127.0.0.1"));
  EXPECT_GT(calls[0].duration, absl::ZeroDuration());
}

TEST_F(CallInterceptorTest, MakesADistinctIdWhenNoneOrAnUnusableOneIsGiven) {
  Reply first = Check(*stub_, "", "");
  Reply second = Check(*stub_, "", "has spaces in it");
  EXPECT_EQ(first.request_id.size(), 36u);  // a UUID
  EXPECT_EQ(second.request_id.size(), 36u);
  EXPECT_NE(first.request_id, second.request_id);
  std::vector<FinishedCall> calls = observer_.WaitFor(2);
  ASSERT_EQ(calls.size(), 2u);
  // A call is recorded when gRPC destroys its interceptor, after the reply: the two records
  // may come in either order.
  EXPECT_THAT((std::vector<std::string>{calls[0].request_id, calls[1].request_id}),
              ::testing::UnorderedElementsAre(first.request_id, second.request_id));
}

TEST_F(CallInterceptorTest, ReportsTheErrorCodeAndMessage) {
  Reply reply = Check(*stub_, "no.such.Service", "r1");
  EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::NOT_FOUND);
  std::vector<FinishedCall> calls = observer_.WaitFor(1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(StatusCodeName(calls[0].code), "NOT_FOUND");
}

TEST(CallLogTest, WritesOneRecordAtTheLevelOfTheCode) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  JsonLog log(file, LogLevel::kInfo);
  CallLog call_log(&log);
  FinishedCall ok{"/irm.api.v1.LogService/Append", "a", "ipv4:127.0.0.1:1", grpc::StatusCode::OK,
                  "", absl::Milliseconds(2)};
  FinishedCall bad = ok;
  bad.request_id = "b";
  bad.code = grpc::StatusCode::FAILED_PRECONDITION;
  bad.message = "review-KEN-2 is at stage launched";
  call_log.OnCallFinished(ok);  // debug: below info, dropped
  call_log.OnCallFinished(bad);
  std::rewind(file);
  char buffer[4096] = {};
  std::string text(buffer, std::fread(buffer, 1, sizeof buffer - 1, file));
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u) << text;
  nlohmann::json record = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(record["level"], "info");
  EXPECT_EQ(record["message"], "call");
  EXPECT_EQ(record["fields"]["request_id"], "b");
  EXPECT_EQ(record["fields"]["code"], "FAILED_PRECONDITION");
  EXPECT_EQ(record["fields"]["method"], "/irm.api.v1.LogService/Append");
  EXPECT_EQ(record["fields"]["peer"], "ipv4:127.0.0.1:1");
  EXPECT_DOUBLE_EQ(record["fields"]["duration_ms"].get<double>(), 2.0);
  EXPECT_EQ(record["fields"]["error"], "review-KEN-2 is at stage launched");
  EXPECT_EQ(CallLog::LevelFor(grpc::StatusCode::DATA_LOSS), LogLevel::kError);
  std::fclose(file);
}

}  // namespace
}  // namespace irm::services
