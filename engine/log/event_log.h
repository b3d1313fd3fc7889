// EventLog: irm's append-only log of immutable events.
//
// Every event has a global position (dense from 1, equal to commit order) and a revision in
// its stream (dense from 0). An append writes one or more events to one stream atomically,
// checked against an expected revision, and is acknowledged only once durable (fsynced).
// Re-appending already written event ids with identical content (the same data bytes) is a
// no-op that returns the original positions, across restarts. Data and custom metadata are
// stored exactly as sent: JSON is validated, never rewritten (append_validation.h).
//
// The log sits behind this interface so that another backend (a cluster) can replace the
// embedded RocksDB one without the services noticing. Implementations are thread-safe.
#ifndef IRM_ENGINE_LOG_EVENT_LOG_H_
#define IRM_ENGINE_LOG_EVENT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/log/message_budget.h"
#include "irm/event/v1/record.pb.h"

namespace irm::log {

using event::v1::EventRecord;

// What the appender believes about the stream's current state.
struct ExpectedRevision {
  enum class Kind { kAny, kNoStream, kExists, kExact };
  Kind kind = Kind::kAny;
  uint64_t revision = 0;  // the stream's last revision, for kExact

  static ExpectedRevision Any() { return {Kind::kAny, 0}; }
  static ExpectedRevision NoStream() { return {Kind::kNoStream, 0}; }
  static ExpectedRevision Exists() { return {Kind::kExists, 0}; }
  static ExpectedRevision Exact(uint64_t r) { return {Kind::kExact, r}; }
  // "any", "no_stream", "exists" or the number.
  std::string ToString() const;
};

// The vocabulary name of a content type: "json", "protobuf" or "unspecified" (what the JSON
// form of an event and the refusals call it).
const char* ContentTypeName(event::v1::ContentType content_type);

// One event as proposed by a caller. The log fills position, revision and recorded time.
struct ProposedEvent {
  std::string id;  // 16 raw UUID bytes; empty: the log makes a random one
  std::string type;
  event::v1::ContentType content_type = event::v1::CONTENT_TYPE_JSON;
  std::string data;  // stored as is, byte for byte
  // Actor, correlation/causation ids, request id, custom metadata, import origin.
  // recorded_at_us is overwritten by the log's clock.
  event::v1::EventMetadata metadata;
};

struct AppendRequest {
  std::string stream;
  ExpectedRevision expected;
  std::vector<ProposedEvent> events;
};

struct AppendResult {
  std::string stream;
  uint64_t first_revision = 0;
  uint64_t last_revision = 0;
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  bool already_written = false;  // an idempotent retry: nothing new was written
  std::vector<std::string> ids;  // every event's 16-byte id, in the request's order
};

using AppendCallback = std::function<void(absl::StatusOr<AppendResult>)>;

// An event as a commit stored it: the record and its serialized bytes (what the log holds).
struct CommittedEvent {
  std::unique_ptr<EventRecord> record;
  std::string encoded;
};

// Told of durable commits: the new head and the events up to it not told before, in
// position order (events.back() is at `head`).
using CommitListener = std::function<void(uint64_t head, std::vector<CommittedEvent> events)>;

struct StreamInfo {
  std::string stream;
  uint64_t last_revision = 0;
  uint64_t event_count = 0;
  uint64_t last_position = 0;
};

enum class Direction { kForward, kBackward };

struct ReadStreamOptions {
  std::string stream;
  // First revision to return. With kBackward, nullopt starts at the last revision; with
  // kForward, nullopt means 0.
  std::optional<uint64_t> from_revision;
  Direction direction = Direction::kForward;
  size_t max_count = 1000;  // at most this many events are returned
  // And at most one message's worth (MessageBudget with this limit, message_budget.h):
  // never fewer than one event. SIZE_MAX: no byte bound.
  size_t max_bytes = SIZE_MAX;
};

struct ReadAllOptions {
  // First position to return. nullopt: 1 forwards, the head backwards.
  std::optional<uint64_t> from_position;
  Direction direction = Direction::kForward;
  size_t max_count = 1000;
  size_t max_bytes = SIZE_MAX;  // as in ReadStreamOptions
};

// Limits on what one append may carry. Violations are InvalidArgument.
struct LogLimits {
  // The most bytes of data plus custom metadata (EventMetadata.custom_json) one event may
  // carry, as sent (`irmd --max-event-bytes`). At most kMaxEventBytesCeiling, so that every
  // event can be read back by a client at gRPC's default 4 MiB receive limit; whatever this
  // says, a stored record is also held to kMaxEventRecordBytes (message_budget.h).
  size_t max_event_bytes = 1 << 20;  // 1 MiB
  size_t max_events_per_append = 1000;
  size_t max_append_bytes = 16 << 20;  // sum of all events' data and metadata
};

// A check of an append's content that the log cannot make itself, such as what the review
// workflow's streams may hold (engine/review/event_schema.h). A log given one runs it on
// every append, after its own checks; an error (InvalidArgument) refuses the whole append.
// Must be thread-safe.
using ContentCheck = std::function<absl::Status(const AppendRequest&)>;

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Validates, checks the expected revision and idempotency, and appends. `done` runs exactly
  // once, on an unspecified thread (possibly the caller's, for a refusal), after the events
  // are fsynced or the append was refused; refused appends write nothing. Codes:
  // InvalidArgument (bad input; the field and reason attached as common/error_details.h),
  // Aborted (expected revision mismatch; reason WRONG_EXPECTED_REVISION with the actual
  // revision), AlreadyExists (an id reused with different content: EVENT_ID_REUSED with the
  // original position; PARTIAL_RETRY, RETRY_OF_SEVERAL_APPENDS), ResourceExhausted (disk
  // full: DISK_FULL; or the appends waiting to be written hold the log's byte bound:
  // BUFFERS_FULL; both with a retry delay), Unavailable (closing, or the disk failed).
  virtual void AppendAsync(AppendRequest request, AppendCallback done) = 0;

  // Blocking form of AppendAsync.
  absl::StatusOr<AppendResult> Append(AppendRequest request);

  // Events of one stream from `from_revision`, in revision order (or reverse). NotFound if the
  // stream has no events. An empty vector when `from_revision` is past the end.
  virtual absl::StatusOr<std::vector<EventRecord>> ReadStream(
      const ReadStreamOptions& options) const = 0;

  // Events of the whole log in position order (or reverse), never past HeadPosition().
  virtual absl::StatusOr<std::vector<EventRecord>> ReadAll(
      const ReadAllOptions& options) const = 0;

  // The events of ReadAll(options), each as its serialized EventRecord, for callers that only
  // forward them (a read over gRPC): a log that stores records serialized returns the stored
  // bytes without decoding them. This default serializes the result of ReadAll().
  virtual absl::StatusOr<std::vector<std::string>> ReadAllEncoded(
      const ReadAllOptions& options) const {
    absl::StatusOr<std::vector<EventRecord>> events = ReadAll(options);
    if (!events.ok()) return events.status();
    std::vector<std::string> encoded;
    encoded.reserve(events->size());
    for (const EventRecord& event : *events) encoded.push_back(event.SerializeAsString());
    return encoded;
  }

  // NotFound if the stream has no events.
  virtual absl::StatusOr<StreamInfo> GetStreamInfo(absl::string_view stream) const = 0;

  // The position of the last durable event; 0 for an empty log. Monotonic.
  virtual uint64_t HeadPosition() const = 0;

  // Called after durable commits, on a committing thread, one call at a time: each call
  // hands over the events committed since the previous call (a call may cover several
  // commits), so the listener need not read them back. Events committed while no listener
  // is set are not handed over. Must not block. At most one listener; nullptr removes it
  // and returns once no call runs. For live subscriptions.
  virtual void SetCommitListener(CommitListener listener) = 0;

  // Refuses new appends with Unavailable, finishes the queued ones, then returns.
  // Idempotent. Reads keep working until the log is destroyed.
  virtual void Close() = 0;
};

// NotFound "stream 'X' has no events", reason STREAM_NOT_FOUND with the stream's name (as
// escaped by common::Escape), for every log answer about a stream without events.
absl::Status StreamNotFoundError(absl::string_view stream);

// Calls `visit` with each event of `stream` in revision order, reading the stream in chunks,
// until `visit` returns false or an error (returned). A stream without events visits nothing.
absl::Status ForEachStreamEvent(const EventLog& log, const std::string& stream,
                                const std::function<absl::StatusOr<bool>(EventRecord&)>& visit);

}  // namespace irm::log

#endif  // IRM_ENGINE_LOG_EVENT_LOG_H_
