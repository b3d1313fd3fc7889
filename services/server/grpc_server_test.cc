// StartGrpcServer's health service: "" and every named service answer SERVING once started,
// and all of them NOT_SERVING once irmd (irmd_main.cc, at shutdown) sets the status false.
#include "services/server/grpc_server.h"

#include <future>
#include <string>
#include <vector>

#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"

namespace irm::services {
namespace {

// grpc.health.v1.Health/Check for `service` on `channel`: the status of the response (1
// SERVING, 2 NOT_SERVING), or -1 if the call failed.
int HealthOf(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  grpc::GenericStub stub(channel);
  // CheckRequest{service}: field 1, length-delimited, encoded by hand.
  std::string bytes = std::string("\x0a", 1) + static_cast<char>(service.size()) + service;
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) { done.set_value(status); });
  if (!done.get_future().get().ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return -1;
  std::string out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  // HealthCheckResponse{status}: field 1, varint.
  return out.size() == 2 && out[0] == '\x08' ? out[1] : -1;
}

class NoLogService final : public api::v1::LogService::CallbackService {};

TEST(GrpcServerTest, HealthAnswersForTheServerAndEachNamedServiceUntilShutdown) {
  NoLogService log;
  absl::StatusOr<StartedServer> started =
      StartGrpcServer("127.0.0.1:0", {{api::v1::LogService::service_full_name(), &log}});
  ASSERT_TRUE(started.ok()) << started.status();
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(started->address, grpc::InsecureChannelCredentials());
  EXPECT_EQ(HealthOf(channel, ""), 1);
  EXPECT_EQ(HealthOf(channel, "irm.api.v1.LogService"), 1);
  EXPECT_EQ(HealthOf(channel, "irm.api.v1.ReviewService"), -1);  // not registered: NOT_FOUND

  started->server->GetHealthCheckService()->SetServingStatus(false);  // as irmd at shutdown
  EXPECT_EQ(HealthOf(channel, ""), 2);
  EXPECT_EQ(HealthOf(channel, "irm.api.v1.LogService"), 2);
  started->server->Shutdown();
}

}  // namespace
}  // namespace irm::services
