// Conversions between the log API messages (irm.api.v1) and the engine's log types.
// Pure functions; thread-safe.
#ifndef IRM_SERVICES_LOG_LOG_CONVERSIONS_H_
#define IRM_SERVICES_LOG_LOG_CONVERSIONS_H_

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "irm/api/v1/log.pb.h"

namespace irm::services {

// Builds the engine request. `actor` becomes every event's recorded actor: it comes from the
// authenticated caller, never from the request; `request_id` (the call's x-request-id) is
// recorded in every event's metadata. No expected-revision member set means any. Origin
// metadata is kept only when `request.import()` is set. Event ids and everything else are
// checked by the log (engine/log/append_validation.h).
log::AppendRequest FromApi(const api::v1::AppendRequest& request,
                           const event::v1::Principal& actor, const std::string& request_id);

api::v1::AppendResponse ToApi(const log::AppendResult& result);

api::v1::StreamInfo ToApi(const log::StreamInfo& info);

}  // namespace irm::services

#endif  // IRM_SERVICES_LOG_LOG_CONVERSIONS_H_
