// How irmd's HTTP side answers a refusal: the HTTP status of a canonical error code, the one
// mapping every route uses (400 INVALID_ARGUMENT/OUT_OF_RANGE, 401 UNAUTHENTICATED,
// 403 PERMISSION_DENIED, 404 NOT_FOUND, 409 FAILED_PRECONDITION/ABORTED/ALREADY_EXISTS,
// 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED, 501 UNIMPLEMENTED, else 500),
// and the JSON body, which carries the same machine-readable facts a gRPC client gets as
// google.rpc details (engine/common/error_details.h):
//
//   {"error":{"code":"ABORTED","status":409,"message":"...",
//             "reason":"WRONG_EXPECTED_REVISION","metadata":{"stream":"...","actual":"5"},
//             "field":"events[3].data","retry_after_seconds":5}}
//
// `reason`/`metadata`, `field` and `retry_after_seconds` appear only when the status holds
// them. Pure; thread-safe.
#ifndef IRM_SERVICES_HTTP_HTTP_STATUS_H_
#define IRM_SERVICES_HTTP_HTTP_STATUS_H_

#include <optional>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"

namespace irm::services::http {

int HttpStatusOf(absl::StatusCode code);

// The body above for a refused request; `status` is not OK.
nlohmann::ordered_json ErrorBody(const absl::Status& status);

// The Retry-After header's value: the status's retry delay in whole seconds, rounded up
// (at least 1); nullopt when the status carries none.
std::optional<int> RetryAfterSeconds(const absl::Status& status);

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_STATUS_H_
