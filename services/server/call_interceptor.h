// A gRPC server interceptor that gives every call a request id and reports each finished
// call (method, status code, duration, peer) to observers: the call log and the metrics.
//
// The request id is the client's `x-request-id` metadata when it is 1-128 printable ASCII
// characters, otherwise a fresh random UUID; it is echoed in the response's initial
// metadata as `x-request-id`, and handlers read it with RequestIdOf (the interceptor puts
// the id it chose in the call's client metadata, replacing an unusable one), so the appends
// of a call record it in EventMetadata.request_id. A call that ends without a status (the client went away) is
// reported as CANCELLED. Works for sync and callback services alike
// (grpc::experimental::ServerInterceptorFactoryInterface).
//
// Thread-safety: observers are called from gRPC threads, concurrently for different calls,
// so OnCallFinished must be thread-safe. Observers must outlive the server.
#ifndef IRM_SERVICES_SERVER_CALL_INTERCEPTOR_H_
#define IRM_SERVICES_SERVER_CALL_INTERCEPTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace irm::services {

struct FinishedCall {
  std::string method;      // full gRPC method: "/irm.api.v1.LogService/Append"
  std::string request_id;  // as described above
  std::string peer;        // "ipv4:127.0.0.1:53312"
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;     // the status message ("" when OK)
  absl::Duration duration;  // from the interceptor's creation to the end of the call
};

class CallObserver {
 public:
  virtual ~CallObserver() = default;
  virtual void OnCallFinished(const FinishedCall& call) = 0;
};

// A factory for grpc::ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewCallInterceptorFactory(
    std::vector<CallObserver*> observers);

// The metadata value accepted as a request id (non-empty, at most 128 printable ASCII
// characters, no spaces); false means a new id is made.
bool IsUsableRequestId(absl::string_view id);

// The request id of the call `context` serves, as the interceptor chose it; empty when the
// server runs without the interceptor.
std::string RequestIdOf(const grpc::ServerContextBase& context);

// "OK", "INVALID_ARGUMENT", ... as in the gRPC status code names.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_CALL_INTERCEPTOR_H_
