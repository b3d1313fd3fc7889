#include "services/server/grpc_server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"

namespace irm::services {
namespace {

constexpr int kMaxMessageBytes = 64 << 20;

// Clients of long subscriptions ping every ~10 s (some every few). gRPC C++'s default server
// policy answers pings more frequent than every 5 minutes with GOAWAY "too many pings" after
// two strikes; allow pings every second, with or without calls, and count no strikes. The
// server also pings idle clients itself to notice dead peers.
void SetKeepalive(grpc::ServerBuilder& builder) {
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
}

std::string HostPart(const std::string& listen) {
  return listen.substr(0, listen.rfind(':'));
}

}  // namespace

absl::StatusOr<StartedServer> StartGrpcServer(
    const std::string& listen, const std::vector<NamedService>& services,
    std::shared_ptr<grpc::ServerCredentials> credentials,
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors,
    GrpcMemoryLimits limits) {
  if (credentials == nullptr) credentials = grpc::InsecureServerCredentials();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, credentials, &port);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  SetKeepalive(builder);
  if (limits.quota_bytes > 0) {
    grpc::ResourceQuota quota("irmd");
    quota.Resize(static_cast<size_t>(limits.quota_bytes));
    builder.SetResourceQuota(quota);
  }
  if (limits.max_streams_per_connection > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, limits.max_streams_per_connection);
  }
  for (const NamedService& named : services) builder.RegisterService(named.service);
  if (!interceptors.empty()) builder.experimental().SetInterceptorCreators(std::move(interceptors));
  StartedServer started;
  started.server = builder.BuildAndStart();
  if (started.server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", listen, ": the address is in use or not available here"));
  }
  grpc::HealthCheckServiceInterface* health = started.server->GetHealthCheckService();
  health->SetServingStatus(true);  // ""
  for (const NamedService& named : services) health->SetServingStatus(named.name, true);
  started.address =
      listen.rfind("unix:", 0) == 0 ? listen : absl::StrCat(HostPart(listen), ":", port);
  return started;
}

}  // namespace irm::services
