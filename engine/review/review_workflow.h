// ReviewWorkflow: decides workflow steps against the log and appends them.
//
// A step is decided against the review's stream folded at some revision, and appended with
// that revision as the expected one: two coordinators racing get one success and one
// ABORTED, and a refused step appends nothing. Thread-safe; the log and clock must outlive it.
#ifndef IRM_ENGINE_REVIEW_REVIEW_WORKFLOW_H_
#define IRM_ENGINE_REVIEW_REVIEW_WORKFLOW_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/common/clock.h"
#include "engine/log/event_log.h"
#include "engine/review/review_fold.h"
#include "engine/review/review_history.h"
#include "engine/review/review_rules.h"

namespace irm::review {

// What Record appended.
struct Recorded {
  std::string stream;
  uint64_t revision = 0;  // of the last event appended
  uint64_t position = 0;
  std::vector<std::string> types;
  ReviewState after;
};

using RecordCallback = std::function<void(absl::StatusOr<Recorded>)>;

class ReviewWorkflow {
 public:
  ReviewWorkflow(log::EventLog* log, const common::Clock* clock) : log_(log), clock_(clock) {}

  // The review folded from its stream, as of `as_of` (review_history.h). NotFound if it was
  // not scheduled then; the message says where its first event is.
  absl::StatusOr<ReviewState> Load(const std::string& state, int cycle, AsOf as_of = {}) const;

  // Checks `events` in order against the review (each against the state the previous ones
  // leave) and appends them atomically. `expected_revision`: refuse with ABORTED (reason
  // WRONG_EXPECTED_REVISION, common/error_details.h) unless the stream is at that revision.
  // `metadata` (actor, on_behalf_of, request_id) becomes each event's metadata.
  // The checks run on the caller's thread; `done` runs exactly once, as EventLog::AppendAsync's
  // callback does (on an unspecified thread, possibly the caller's), after the events are
  // durable or the step was refused. `done` must not wait for projections or the log.
  void RecordAsync(const std::string& state, int cycle,
                   std::vector<std::unique_ptr<google::protobuf::Message>> events,
                   const event::v1::EventMetadata& metadata,
                   std::optional<uint64_t> expected_revision, RecordCallback done);

  // Blocking form of RecordAsync.
  absl::StatusOr<Recorded> Record(const std::string& state, int cycle,
                                  std::vector<std::unique_ptr<google::protobuf::Message>> events,
                                  const event::v1::EventMetadata& metadata,
                                  std::optional<uint64_t> expected_revision);

  absl::CivilDay Today() const;

 private:
  // The review's stream folded now, void events skipped (voids.h).
  struct Folded {
    ReviewState review;
    bool stream_exists = false;  // the stream has events, void or not
    bool scheduled = false;      // it has an event that is not void
  };
  absl::StatusOr<Folded> FoldNow(const std::string& state, int cycle) const;
  // RecordAsync's checks: the append request for `events` and what it will have recorded
  // (all but the revision and position the log assigns).
  absl::Status Prepare(const std::string& state, int cycle,
                       std::vector<std::unique_ptr<google::protobuf::Message>> events,
                       const event::v1::EventMetadata& metadata,
                       std::optional<uint64_t> expected_revision, log::AppendRequest* request,
                       Recorded* recorded);

  log::EventLog* const log_;
  const common::Clock* const clock_;
};

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_REVIEW_WORKFLOW_H_
