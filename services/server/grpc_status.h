// The one place where absl::Status becomes grpc::Status (conventions.md, habit 2).
// Abseil's canonical codes map 1:1 onto gRPC's.
#ifndef IRM_SERVICES_SERVER_GRPC_STATUS_H_
#define IRM_SERVICES_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace irm::services {

// Messages over 2 KiB (e.g. quoting a hostile value) are cut so they fit a metadata header.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes the unary callback call of `context` with `status` and returns its reactor: for
// handlers that answer inline (`return FinishUnary(context, ToGrpcStatus(s));`).
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const grpc::Status& status);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_GRPC_STATUS_H_
