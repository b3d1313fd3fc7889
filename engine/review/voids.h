// Voids (docs/void.md): an EventVoided record in the stream "voided" declares one event void.
// The log stays immutable; every fold of review events skips the voided event.
//
// Only an event that no fold can read may be voided (irm admin void checks it with
// event_schema.h), so folds look for a void only when they meet such an event: voids cost
// nothing on the normal path, and skipping one never changes a state a fold already built,
// which keeps projections deterministic (a rebuild equals the incremental state).
// Events are matched by id, which export and import keep. Thread-safe; reads the log.
#ifndef IRM_ENGINE_REVIEW_VOIDS_H_
#define IRM_ENGINE_REVIEW_VOIDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/log/event_log.h"
#include "irm/event/v1/event_voided.pb.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

// One void record as the log holds it.
struct VoidNote {
  uint64_t position = 0;  // of the EventVoided record
  event::v1::EventVoided voided;
  event::v1::Principal by;  // who recorded it (its metadata's actor)
  int64_t recorded_at_us = 0;
};

// Every readable void record of the log, in log order, and the last revision of the
// "voided" stream (nullopt while it has no events). Records that do not parse are left out.
struct Voids {
  std::vector<VoidNote> notes;
  std::optional<uint64_t> last_revision;
};
absl::StatusOr<Voids> ReadVoids(const log::EventLog& log);

// The first void of the event with id `event_id`, if the log holds one.
absl::StatusOr<std::optional<VoidNote>> FindVoid(const log::EventLog& log,
                                                 absl::string_view event_id);

inline constexpr size_t kMaxVoidReasonLength = 2000;

// The append that declares the event at `position` void, recorded as by `actor`, checked:
// InvalidArgument without a reason (or one longer than kMaxVoidReasonLength, or with control
// characters); NotFound past the head; FailedPrecondition for an event that fits its
// stream's schema (a readable step is corrected by recording another); AlreadyExists if it
// is void already (the message names that void). The append expects the "voided" stream at
// the revision these checks read, so of two voids racing one gets Aborted.
absl::StatusOr<log::AppendRequest> PrepareVoid(const log::EventLog& log, uint64_t position,
                                               absl::string_view reason,
                                               const event::v1::Principal& actor);

// Folds `record` into `state` as ApplyToReview does, except that an event the fold cannot
// read is skipped if it is void: only the state's revision and last position move on. When
// `note` is given it is set for a void event (also one of a type the fold ignores). Without
// a log (nullptr) nothing is void. DataLoss for an unreadable event that is not void: the
// message names it and says how to void it.
absl::Status ApplyToReviewUnlessVoid(const log::EventLog* log, const log::EventRecord& record,
                                     event::v1::ReviewState* state,
                                     std::optional<VoidNote>* note = nullptr);

// Whether an event a fold could not read (`error`) is void; `error` with the advice to void
// it otherwise. For folds other than the review fold (the needs projection).
absl::StatusOr<bool> IsVoidAfterError(const log::EventLog* log, const log::EventRecord& record,
                                      const absl::Status& error);

// An event of a stream with a schema (event_schema.h) that does not fit it, and no void.
struct UnreadableEvent {
  uint64_t position = 0;
  std::string stream;
  std::string type;
  std::string id;  // 16 raw bytes
  std::string reason;
};

// Scans the whole log for unreadable events that are not void, up to `max` of them: what
// irmd reports after restoring a backup written by an older irmd.
absl::StatusOr<std::vector<UnreadableEvent>> FindUnreadableEvents(const log::EventLog& log,
                                                                  size_t max);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_VOIDS_H_
