// DeadlineRecorder: irmd's background task that writes a DeadlinePassed event
// (passed_deadlines.h) for every review deadline that passed without its step, into the
// review's deadline stream "deadline-STATE-CYCLE", never into the review's own stream.
//
// When it looks:
//  - a sweep of every review (each review's history, and its awaited step against today) at
//    Start(), at each change of the clock's UTC date, and when asked (SweepAsync, for
//    `irm admin check-deadlines`): deadlines that passed while irmd was down are written at
//    start;
//  - one review's history after a step was recorded for it (Nudge): a step recorded after
//    its deadline is written at once. A nudge does not judge the awaited step against today,
//    so entering a review's past steps one after another never records a deadline that a
//    later step of the same batch met (the next sweep does).
// Each event's id is derived from (state, cycle, step, deadline), so a deadline is written
// once however often it is found (the log's idempotent append), also across restarts. A step
// recorded later with an earlier business date does not undo an event already written.
//
// Threads: one owned thread, started by Start() and joined by Stop(); the sweep's reads and
// appends run on it without holding the recorder's lock. Nudges are a set of review keys
// (bounded by the number of reviews). Thread-safe; the log, runner and clock must outlive it.
#ifndef IRM_ENGINE_REVIEW_DEADLINE_RECORDER_H_
#define IRM_ENGINE_REVIEW_DEADLINE_RECORDER_H_

#include <functional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "engine/common/clock.h"
#include "engine/common/mutex.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection_runner.h"

namespace irm::review {

struct SweepResult {
  std::string today;        // YYYY-MM-DD the awaited steps were judged against
  int reviews_checked = 0;  // reviews whose history was read (one that cannot be is reported
                            // to the ErrorSink and skipped)
  int events_written = 0;   // DeadlinePassed events new to the log
};

class DeadlineRecorder {
 public:
  using SweepDone = std::function<void(absl::StatusOr<SweepResult>)>;
  // Told of a failed sweep or check (the next one retries); for irmd's log.
  using ErrorSink = std::function<void(const absl::Status&)>;

  DeadlineRecorder(log::EventLog* log, const projection::ProjectionRunner* projections,
                   const common::Clock* clock, ErrorSink on_error);
  ~DeadlineRecorder() { Stop(); }
  DeadlineRecorder(const DeadlineRecorder&) = delete;
  DeadlineRecorder& operator=(const DeadlineRecorder&) = delete;

  // Starts the thread, which sweeps at once. Call once.
  void Start();
  // Ends the thread after the review or sweep in hand; pending SweepAsync calls are answered
  // Unavailable. Idempotent.
  void Stop();

  // Checks review (state, cycle)'s history soon (CheckHistory on the recorder's thread).
  // Never blocks on I/O.
  void Nudge(const std::string& state, int cycle);
  // Writes the deadlines of review (state, cycle)'s history that passed and are not written
  // yet, on the caller's thread (reads and appends: blocking); returns how many it wrote.
  // The awaited step is not judged against today.
  absl::StatusOr<int> CheckHistory(const std::string& state, int cycle);
  // Sweeps every review on the recorder's thread and calls `done` there (or at once,
  // Unavailable, when stopped).
  void SweepAsync(SweepDone done);

 private:
  void Run();
  // Sweeps every review, judging awaited steps against `today`.
  absl::StatusOr<SweepResult> Sweep(absl::CivilDay today);
  // Writes the passed deadlines of one review not yet in its deadline stream; returns how
  // many. `with_today`: also the awaited step against `today`.
  absl::StatusOr<int> Check(const std::string& state, int cycle, bool with_today,
                            absl::CivilDay today);
  absl::CivilDay Today() const;

  log::EventLog* const log_;
  const projection::ProjectionRunner* const projections_;
  const common::Clock* const clock_;
  const ErrorSink on_error_;

  common::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::pair<std::string, int>> nudged_ ABSL_GUARDED_BY(mu_);
  std::vector<SweepDone> sweeps_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_DEADLINE_RECORDER_H_
