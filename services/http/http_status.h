// The HTTP status of a canonical error code, the one mapping every route of irmd's HTTP side
// uses (400 INVALID_ARGUMENT, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND,
// 409 FAILED_PRECONDITION/ABORTED/ALREADY_EXISTS, 503 UNAVAILABLE, ...). Pure; thread-safe.
#ifndef IRM_SERVICES_HTTP_HTTP_STATUS_H_
#define IRM_SERVICES_HTTP_HTTP_STATUS_H_

#include "absl/status/status.h"

namespace irm::services::http {

int HttpStatusOf(absl::StatusCode code);

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_STATUS_H_
