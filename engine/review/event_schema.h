// What the streams the review workflow reads may hold (docs/void.md).
//
//  - "review-..." streams: only the workflow's events (proto/irm/event/v1/review_events.proto),
//    each with content type protobuf and data that parses into the message its type names;
//  - "voided" (kVoidedStream): only EventVoided records (event_voided.proto) naming a 16-byte
//    event id and a reason;
//  - "deadline-STATE-CYCLE" streams: only DeadlinePassed records (deadline_events.proto) of
//    that review (docs/deadlines.md);
//  - "irg-sessions" (domain::kIrgSessionsStream): only IrgSessionRecorded records
//    (irg_events.proto).
// Other streams have no schema here. The workflow's rules (stage order, dates, who) are not
// checked: an export made before a rule changed still imports.
//
// irmd gives CheckAppendSchema to its log (log::ContentCheck), so every append path (review
// commands, the raw append, `irm import`) runs it. Pure functions; thread-safe.
#ifndef IRM_ENGINE_REVIEW_EVENT_SCHEMA_H_
#define IRM_ENGINE_REVIEW_EVENT_SCHEMA_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/log/event_log.h"

namespace irm::review {

// The system stream of void records, and their event type.
inline constexpr absl::string_view kVoidedStream = "voided";
inline constexpr absl::string_view kEventVoidedType = "EventVoided";

// True if `stream` has a schema: a review- or deadline- stream, kVoidedStream or irg-sessions.
bool HasSchema(absl::string_view stream);

// OK if an event of `type`, `content_type` and `data` fits the schema of `stream` (always,
// for a stream without one); otherwise InvalidArgument saying what was wrong and what would
// be right (without naming the event: callers do).
absl::Status CheckEventSchema(absl::string_view stream, absl::string_view type,
                              event::v1::ContentType content_type, absl::string_view data);

// CheckEventSchema of a stored event.
absl::Status CheckRecordSchema(const log::EventRecord& record);

// A log::ContentCheck: every event of `request` fits its stream's schema. InvalidArgument
// names the first event that does not (its index in the request, id and type) and why.
absl::Status CheckAppendSchema(const log::AppendRequest& request);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_EVENT_SCHEMA_H_
