#include "engine/review/deadline_recorder.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "engine/common/status_macros.h"
#include "engine/domain/review_stream.h"
#include "engine/review/dates.h"
#include "engine/review/passed_deadlines.h"
#include "engine/review/review_history.h"
#include "engine/review/reviews_projection.h"

namespace irm::review {
namespace {

// How long a sweep waits for the reviews projection to apply the log's head.
constexpr absl::Duration kCatchUpTimeout = absl::Seconds(30);
constexpr absl::Duration kCatchUpSlice = absl::Milliseconds(200);
// The longest the thread sleeps before looking at the clock's date again (a test clock, or a
// system clock set forward, is noticed within this).
constexpr absl::Duration kDatePoll = absl::Minutes(1);

// The ids already in `stream` (none if it has no events).
absl::StatusOr<absl::flat_hash_set<std::string>> IdsIn(const log::EventLog& log,
                                                       const std::string& stream) {
  absl::flat_hash_set<std::string> ids;
  absl::Status s = log::ForEachStreamEvent(log, stream, [&ids](const log::EventRecord& event) {
    ids.insert(event.id());
    return true;
  });
  if (!s.ok() && !absl::IsNotFound(s)) return s;
  return ids;
}

}  // namespace

DeadlineRecorder::DeadlineRecorder(log::EventLog* log,
                                   const projection::ProjectionRunner* projections,
                                   const common::Clock* clock, ErrorSink on_error)
    : log_(log), projections_(projections), clock_(clock), on_error_(std::move(on_error)) {}

void DeadlineRecorder::Start() {
  common::MutexLock lock(&mu_);
  if (started_ || stopping_) return;
  started_ = true;
  thread_ = std::thread([this] { Run(); });
}

void DeadlineRecorder::Stop() {
  std::vector<SweepDone> unanswered;
  {
    common::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  {
    common::MutexLock lock(&mu_);
    unanswered.swap(sweeps_);
  }
  for (SweepDone& done : unanswered) {
    done(absl::UnavailableError("irmd is stopping; the deadline check did not run"));
  }
}

void DeadlineRecorder::Nudge(const std::string& state, int cycle) {
  common::MutexLock lock(&mu_);
  if (!stopping_) nudged_.emplace(state, cycle);
}

void DeadlineRecorder::SweepAsync(SweepDone done) {
  {
    common::MutexLock lock(&mu_);
    if (!stopping_) {
      sweeps_.push_back(std::move(done));
      return;
    }
  }
  done(absl::UnavailableError("irmd is stopping; the deadline check did not run"));
}

absl::StatusOr<int> DeadlineRecorder::CheckHistory(const std::string& state, int cycle) {
  return Check(state, cycle, /*with_today=*/false, Today());
}

absl::CivilDay DeadlineRecorder::Today() const { return DayOf(clock_->Now()); }

void DeadlineRecorder::Run() {
  bool sweep_due = true;  // at start
  absl::CivilDay swept_on = Today();
  for (;;) {
    std::vector<SweepDone> requested;
    std::set<std::pair<std::string, int>> nudged;
    {
      common::MutexLock lock(&mu_);
      auto work = [this, &sweep_due]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || sweep_due || !sweeps_.empty() || !nudged_.empty();
      };
      while (!work()) {
        const absl::Time midnight = absl::FromCivil(swept_on + 1, absl::UTCTimeZone());
        const absl::Duration wait = std::min(midnight - clock_->Now(), kDatePoll);
        if (wait > absl::ZeroDuration()) mu_.AwaitWithTimeout(absl::Condition(&work), wait);
        if (Today() != swept_on) sweep_due = true;
      }
      if (stopping_) return;
      requested.swap(sweeps_);
      nudged.swap(nudged_);
    }
    for (const auto& [state, cycle] : nudged) {
      absl::StatusOr<int> written = CheckHistory(state, cycle);
      if (!written.ok()) on_error_(written.status());
    }
    if (sweep_due || !requested.empty()) {
      const absl::CivilDay today = Today();
      sweep_due = false;
      swept_on = today;
      absl::StatusOr<SweepResult> result = Sweep(today);
      if (!result.ok()) on_error_(result.status());
      for (SweepDone& done : requested) done(result);
    }
  }
}

absl::StatusOr<SweepResult> DeadlineRecorder::Sweep(absl::CivilDay today) {
  // Waits for the reviews projection in short slices, so that Stop() is not held up.
  const uint64_t head = log_->HeadPosition();
  const absl::Time give_up = absl::Now() + kCatchUpTimeout;
  for (;;) {
    absl::Status caught_up = projections_->WaitUntilApplied(head, kCatchUpSlice,
                                                            {std::string(kReviewsProjection)});
    if (caught_up.ok()) break;
    if (!absl::IsDeadlineExceeded(caught_up) || absl::Now() >= give_up) return caught_up;
    common::MutexLock lock(&mu_);
    if (stopping_) return absl::UnavailableError("irmd is stopping; the deadline check stopped");
  }
  IRM_ASSIGN_OR_RETURN(std::vector<event::v1::ReviewState> reviews,
                       ReadReviews(projections_->store(), /*cycle=*/0));
  SweepResult result;
  result.today = FormatDate(today);
  for (const event::v1::ReviewState& review : reviews) {
    {
      common::MutexLock lock(&mu_);
      if (stopping_) return absl::UnavailableError("irmd is stopping; the deadline check stopped");
    }
    // A review whose history cannot be read (an unreadable event not yet void) is reported
    // and skipped: the others are still checked.
    absl::StatusOr<int> written =
        Check(review.state(), review.cycle(), /*with_today=*/true, today);
    if (!written.ok()) {
      on_error_(written.status());
      continue;
    }
    ++result.reviews_checked;
    result.events_written += *written;
  }
  return result;
}

absl::StatusOr<int> DeadlineRecorder::Check(const std::string& state, int cycle,
                                            bool with_today, absl::CivilDay today) {
  absl::StatusOr<ReviewHistory> history =
      ReadReviewHistory(*log_, state, cycle, AsOf{}, /*with_provenance=*/false);
  if (absl::IsNotFound(history.status())) return 0;
  IRM_RETURN_IF_ERROR(history.status());
  IRM_ASSIGN_OR_RETURN(
      std::vector<event::v1::DeadlinePassed> passed,
      PassedDeadlines(*history, with_today ? std::optional<absl::CivilDay>(today) : std::nullopt));
  if (passed.empty()) return 0;
  const std::string stream = domain::DeadlineStreamName(state, cycle);
  IRM_ASSIGN_OR_RETURN(absl::flat_hash_set<std::string> written, IdsIn(*log_, stream));
  log::AppendRequest request;
  request.stream = stream;
  request.expected = log::ExpectedRevision::Any();
  for (const event::v1::DeadlinePassed& deadline : passed) {
    log::ProposedEvent event = DeadlineEvent(deadline);
    if (written.insert(event.id).second) request.events.push_back(std::move(event));
  }
  if (request.events.empty()) return 0;
  const int count = static_cast<int>(request.events.size());
  IRM_ASSIGN_OR_RETURN(log::AppendResult appended, log_->Append(std::move(request)));
  return appended.already_written ? 0 : count;
}

}  // namespace irm::review
