// Starts irmd's gRPC server: the given services plus health and reflection, with keepalive
// settings that let long-lived idle subscriptions survive clients that ping often.
//
// Health (grpc.health.v1, gRPC's default service) answers for "" (the whole server) and for
// each service's full name ("irm.api.v1.LogService"): SERVING once started; irmd sets all
// of them NOT_SERVING when it begins to shut down (HealthCheckServiceInterface::
// SetServingStatus(false) applies to every name).
#ifndef IRM_SERVICES_SERVER_GRPC_SERVER_H_
#define IRM_SERVICES_SERVER_GRPC_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace irm::services {

// A service with its full gRPC name, under which health answers for it.
struct NamedService {
  std::string name;  // e.g. api::v1::LogService::service_full_name()
  grpc::Service* service;
};

struct StartedServer {
  std::unique_ptr<grpc::Server> server;
  std::string address;  // HOST:PORT with the real port, also when port 0 was asked for
};

// What gRPC itself may buffer. gRPC reads a whole request message before irm sees it, so
// this is the bound on requests received but not yet handled (docs/reliability.md).
struct GrpcMemoryLimits {
  // A grpc::ResourceQuota over every connection's buffers; 0: gRPC's default (unbounded).
  // A soft bound: under it gRPC reads smaller pieces, frees idle buffers, and as a last
  // resort cancels a call with RESOURCE_EXHAUSTED.
  uint64_t quota_bytes = 0;
  // GRPC_ARG_MAX_CONCURRENT_STREAMS: calls one connection may have open at once (later
  // ones wait at the client); 0: gRPC's default (unlimited).
  int max_streams_per_connection = 0;
};

// Listens on `listen` (HOST:PORT, port 0 picks one). Unavailable if it cannot listen.
// The services must outlive the server. `credentials`: TLS (see services/server/tls.h) or, when
// null, plaintext. `interceptors` see every call (call_interceptor.h).
absl::StatusOr<StartedServer> StartGrpcServer(
    const std::string& listen, const std::vector<NamedService>& services,
    std::shared_ptr<grpc::ServerCredentials> credentials = nullptr,
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors = {},
    GrpcMemoryLimits limits = {});

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_GRPC_SERVER_H_
