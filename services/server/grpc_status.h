// The one place where absl::Status becomes grpc::Status (conventions.md, habit 2).
//
// Abseil's canonical codes map 1:1 onto gRPC's. Every failed status also carries a
// serialized google.rpc.Status (proto/google/rpc/status.proto) as its binary details, which
// gRPC sends in the `grpc-status-details-bin` trailer: the same code and message, and
//   - google.rpc.ErrorInfo (domain "irm"): the status's reason and facts
//     (engine/common/error_details.h), or the code's name ("NOT_FOUND") when it has none;
//   - google.rpc.BadRequest: the field at fault, when the status names one;
//   - google.rpc.RetryInfo: the status's retry delay; for UNAVAILABLE and RESOURCE_EXHAUSTED
//     without one, kDefaultRetryDelay.
// docs/log.md ("Errors") lists the reasons and their metadata keys.
#ifndef IRM_SERVICES_SERVER_GRPC_STATUS_H_
#define IRM_SERVICES_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"

namespace irm::services {

inline constexpr char kErrorDomain[] = "irm";
inline constexpr absl::Duration kDefaultRetryDelay = absl::Seconds(1);

// Messages over 2 KiB (e.g. quoting a hostile value) are cut so they fit a metadata header;
// so are the details' texts.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The google.rpc.Status that ToGrpcStatus puts in the details of a failed `status`.
google::rpc::Status ToRpcStatus(const absl::Status& status);

// Finishes the unary callback call of `context` with `status` and returns its reactor: for
// handlers that answer inline (`return FinishUnary(context, ToGrpcStatus(s));`).
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const grpc::Status& status);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_GRPC_STATUS_H_
