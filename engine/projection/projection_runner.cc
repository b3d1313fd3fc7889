#include "engine/projection/projection_runner.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"

namespace irm::projection {
namespace {

constexpr size_t kChunkEvents = 2048;

// A StateView that buffers one commit's changes over the store, reading committed values
// through `cache` when there is one.
class BufferedState final : public StateView {
 public:
  BufferedState(const ProjectionStore* store, absl::string_view ns, CommittedStateCache* cache)
      : store_(store), ns_(ns), cache_(cache) {}

  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) override {
    if (auto it = changes_.find(key); it != changes_.end()) return it->second;
    if (cache_ == nullptr) return store_->Get(ns_, key);
    if (const std::optional<std::string>* cached = cache_->Find(key)) return *cached;
    absl::StatusOr<std::optional<std::string>> stored = store_->Get(ns_, key);
    if (stored.ok()) cache_->Remember(key, *stored);
    return stored;
  }
  void Put(absl::string_view key, absl::string_view value) override { Set(key, std::string(value)); }
  void Delete(absl::string_view key) override { Set(key, std::nullopt); }

  StateChanges TakeChanges() { return std::move(changes_); }

 private:
  void Set(absl::string_view key, std::optional<std::string> value) {
    if (auto it = changes_.find(key); it != changes_.end()) {
      it->second = std::move(value);
    } else {
      changes_.emplace(std::string(key), std::move(value));
    }
  }

  const ProjectionStore* const store_;
  const absl::string_view ns_;
  CommittedStateCache* const cache_;  // may be null
  StateChanges changes_;
};

// Clears the state of every projection built by another version (state kept before versions
// were recorded was built by version 1), then records the versions in one write. Returns the
// error of each projection it could not check or clear, by index (that projection stays
// stopped: its state may not match its fold).
std::vector<std::string> ResetChangedVersions(ProjectionStore& store,
                                              const std::vector<std::unique_ptr<Projection>>& all) {
  std::vector<std::string> errors(all.size());
  StateChanges record;
  for (size_t i = 0; i < all.size(); ++i) {
    const Projection& projection = *all[i];
    const std::string version = absl::StrCat(projection.version());
    absl::StatusOr<std::optional<std::string>> stored =
        store.Get(kProjectionVersionsNamespace, projection.name());
    if (!stored.ok()) {
      errors[i] = std::string(stored.status().message());
      continue;
    }
    // No record means version 1 (state from before versions were recorded, or none yet):
    // nothing to write for a version-1 projection.
    if (stored->value_or("1") == version) continue;
    if (stored->value_or("1") != version) {
      if (absl::Status s = store.Clear(projection.name()); !s.ok()) {
        errors[i] = std::string(s.message());
        continue;
      }
    }
    record.emplace(std::string(projection.name()), version);
  }
  // A record that fails to be written is written at the next start (a cleared projection is
  // then cleared and rebuilt once more): the projections run meanwhile.
  if (!record.empty()) store.Commit(kProjectionVersionsNamespace, std::move(record), 0).IgnoreError();
  return errors;
}

}  // namespace

ProjectionRunner::ProjectionRunner(subscription::LiveFeed* feed, ProjectionStore* store,
                                   std::vector<std::unique_ptr<Projection>> projections)
    : feed_(feed), store_(store) {
  const std::vector<std::string> version_errors = ResetChangedVersions(*store_, projections);
  common::MutexLock lock(&mu_);
  for (size_t i = 0; i < projections.size(); ++i) {
    std::unique_ptr<Projection>& projection = projections[i];
    Slot slot;
    absl::StatusOr<uint64_t> checkpoint = store_->Checkpoint(projection->name());
    if (checkpoint.ok()) {
      slot.checkpoint = *checkpoint;
    } else {
      slot.error = std::string(checkpoint.status().message());
    }
    if (!version_errors[i].empty()) slot.error = version_errors[i];
    slot.projection = std::move(projection);
    slots_.push_back(std::move(slot));
  }
}

ProjectionRunner::~ProjectionRunner() { Stop(); }

void ProjectionRunner::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ProjectionRunner::Stop() {
  {
    common::MutexLock lock(&mu_);
    stopping_ = true;
    stopped_ = true;
  }
  {
    common::MutexLock lock(&wake_mu_);
    wake_stop_ = true;
    ++wakes_;
  }
  if (thread_.joinable()) thread_.join();
}

void ProjectionRunner::CancelReplays() {
  common::MutexLock lock(&mu_);
  stopping_ = true;
}

bool ProjectionRunner::Stopping() const {
  common::MutexLock lock(&mu_);
  return stopping_;
}

void ProjectionRunner::Wake() {
  common::MutexLock lock(&wake_mu_);
  ++wakes_;
}

ProjectionRunner::Slot* ProjectionRunner::Find(absl::string_view name) {
  for (Slot& slot : slots_) {
    if (slot.projection->name() == name) return &slot;
  }
  return nullptr;
}

bool ProjectionRunner::Claim(Slot& slot, Slot::Holder holder) {
  auto round_done = [&slot]() { return slot.holder != Slot::Holder::kRound; };
  mu_.Await(absl::Condition(&round_done));
  if (slot.holder != Slot::Holder::kNone) return false;
  slot.holder = holder;
  return true;
}

void ProjectionRunner::Release(const std::vector<Slot*>& slots) {
  bool any = false;
  {
    common::MutexLock lock(&mu_);
    for (Slot* slot : slots) {
      if (slot == nullptr) continue;
      slot->holder = Slot::Holder::kNone;
      any = true;
    }
  }
  if (any) Wake();
}

absl::StatusOr<std::optional<NamespaceCommit>> ProjectionRunner::ApplyChunk(
    Projection& projection, const ProjectionStore& store, uint64_t after, uint64_t until,
    CommittedStateCache* cache, uint64_t* failed_at) {
  *failed_at = 0;
  if (after >= until) return std::nullopt;
  const size_t count = static_cast<size_t>(std::min<uint64_t>(kChunkEvents, until - after));
  IRM_ASSIGN_OR_RETURN(std::vector<subscription::SharedEvent> events,
                       feed_->Read(after + 1, count));
  if (events.empty()) return std::nullopt;
  const absl::string_view ns = projection.name();
  BufferedState state(&store, ns, cache);
  for (const subscription::SharedEvent& event : events) {
    if (absl::Status s = projection.Apply(*event, state); !s.ok()) {
      *failed_at = event->position();
      return s;
    }
  }
  NamespaceCommit part;
  part.ns = std::string(ns);
  part.changes = state.TakeChanges();
  part.checkpoint = events.back()->position();
  return part;
}

absl::StatusOr<uint64_t> ProjectionRunner::ApplyAndCommit(Projection& projection,
                                                          ProjectionStore& store, uint64_t after,
                                                          uint64_t until, uint64_t* failed_at) {
  IRM_ASSIGN_OR_RETURN(std::optional<NamespaceCommit> part,
                       ApplyChunk(projection, store, after, until, /*cache=*/nullptr, failed_at));
  if (!part.has_value()) return after;
  std::vector<NamespaceCommit> parts;
  parts.push_back(std::move(*part));
  IRM_RETURN_IF_ERROR(store.CommitAll(parts));
  return parts[0].checkpoint;
}

void ProjectionRunner::SetError(Slot& slot, const absl::Status& status, uint64_t failed_at) {
  slot.error = std::string(status.message());
  slot.stopped_at = failed_at;
  slot.transient = failed_at == 0 && (status.code() == absl::StatusCode::kUnavailable ||
                                      status.code() == absl::StatusCode::kResourceExhausted);
}

std::string ProjectionRunner::Describe(const Slot& slot) {
  const absl::string_view name = slot.projection->name();
  if (slot.transient) return absl::StrCat("projection ", name, " is waiting for the disk: ", slot.error);
  if (slot.stopped_at == 0) return absl::StrCat("projection ", name, " is stopped: ", slot.error);
  return absl::StrCat("projection ", name, " is stopped at position ", slot.stopped_at, ": ",
                      slot.error);
}

ProjectionRunner::Round ProjectionRunner::StepAll() {
  Round round;
  const uint64_t head = feed_->head();
  struct Work {
    Slot* slot;
    uint64_t after;  // its checkpoint when claimed
    absl::Status status;
    uint64_t failed_at = 0;
    bool has_part = false;
  };
  std::vector<Work> work;
  {
    common::MutexLock lock(&mu_);
    for (Slot& slot : slots_) {
      if (slot.holder != Slot::Holder::kNone) continue;  // being rebuilt or checked
      if (!slot.error.empty() && !slot.transient) continue;
      slot.holder = Slot::Holder::kRound;
      work.push_back(Work{&slot, slot.checkpoint, absl::OkStatus()});
    }
  }
  // The claimed slots are ours: apply and commit without the lock.
  std::vector<NamespaceCommit> parts;
  for (Work& w : work) {
    absl::StatusOr<std::optional<NamespaceCommit>> part =
        ApplyChunk(*w.slot->projection, *store_, w.after, head, &w.slot->cache, &w.failed_at);
    if (!part.ok()) {
      w.status = part.status();
    } else if (part->has_value()) {
      parts.push_back(std::move(**part));
      w.has_part = true;
    }
  }
  // One write for the whole round: every projection's changes and checkpoint together.
  const absl::Status committed = parts.empty() ? absl::OkStatus() : store_->CommitAll(parts);
  size_t next_part = 0;
  for (Work& w : work) {
    if (!w.has_part) continue;
    if (committed.ok()) {
      w.slot->cache.Committed(parts[next_part].changes);
    } else {
      w.slot->cache.Clear();
      w.status = committed;
    }
    ++next_part;
  }
  common::MutexLock lock(&mu_);
  next_part = 0;
  for (Work& w : work) {
    Slot& slot = *w.slot;
    slot.holder = Slot::Holder::kNone;
    if (!w.status.ok()) {
      SetError(slot, w.status, w.failed_at);
      round.retry_later = round.retry_later || slot.transient;
      if (w.has_part) ++next_part;
      continue;
    }
    slot.error.clear();
    slot.transient = false;
    if (w.has_part) {
      slot.checkpoint = parts[next_part++].checkpoint;
      round.progressed = true;
    }
    round.lowest = std::min(round.lowest, slot.checkpoint);
  }
  return round;
}

void ProjectionRunner::Run() {
  for (;;) {
    uint64_t wakes_seen;
    {
      common::MutexLock lock(&wake_mu_);
      if (wake_stop_) return;
      wakes_seen = wakes_;
    }
    const Round round = StepAll();
    auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(wake_mu_) { return wake_stop_; };
    if (round.retry_later) {
      // The disk is full or failing: pause (Stop() ends the pause).
      common::MutexLock lock(&wake_mu_);
      wake_mu_.AwaitWithTimeout(absl::Condition(&stopped), absl::Milliseconds(200));
      continue;
    }
    if (round.progressed) continue;
    // Caught up: sleep until the feed moves past the lowest checkpoint, a rebuild or retry
    // wakes us, or Stop(); the timeout is a safety net only.
    subscription::LiveFeed::WaitId id = 0;
    const uint64_t lowest = round.lowest;
    const bool registered =
        lowest != UINT64_MAX && feed_->WaitFor(lowest + 1, [this] { Wake(); }, &id);
    const bool feed_stopped = !registered && lowest != UINT64_MAX && feed_->stopped();
    if (!registered && lowest != UINT64_MAX && !feed_stopped) continue;  // it moved already
    {
      common::MutexLock lock(&wake_mu_);
      auto woken = [this, wakes_seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(wake_mu_) {
        return wake_stop_ || wakes_ != wakes_seen;
      };
      if (feed_stopped) {
        // Nothing more will come: wait for Stop() (no spinning meanwhile).
        wake_mu_.Await(absl::Condition(&stopped));
      } else {
        wake_mu_.AwaitWithTimeout(absl::Condition(&woken), absl::Milliseconds(250));
      }
    }
    if (registered) feed_->Cancel(id);
  }
}

std::vector<ProjectionStatus> ProjectionRunner::List() const {
  std::vector<ProjectionStatus> out;
  const uint64_t head = feed_->head();
  {
    common::MutexLock lock(&mu_);
    for (const Slot& slot : slots_) {
      ProjectionStatus status;
      status.name = std::string(slot.projection->name());
      status.checkpoint = slot.checkpoint;
      status.head = head;
      status.lag_events = head > slot.checkpoint ? head - slot.checkpoint : 0;
      status.error = slot.error;
      if (!slot.error.empty()) {
        status.state =
            slot.transient ? ProjectionState::kWaitingForDisk : ProjectionState::kStopped;
        if (!slot.transient) status.stopped_at = slot.stopped_at;
      }
      out.push_back(std::move(status));
    }
  }
  // The oldest pending event's age: a feed read, which may go to disk, so not under mu_.
  for (ProjectionStatus& status : out) {
    if (status.lag_events == 0) continue;
    absl::StatusOr<std::vector<subscription::SharedEvent>> next =
        feed_->Read(status.checkpoint + 1, 1);
    if (next.ok() && !next->empty()) {
      status.lag_seconds = std::max(
          0.0, absl::ToDoubleSeconds(absl::Now() - absl::FromUnixMicros(
                                                      (*next)[0]->metadata().recorded_at_us())));
    }
  }
  return out;
}

absl::Status ProjectionRunner::Replay(Slot& slot, uint64_t until, uint64_t* failed_at) {
  const absl::string_view name = slot.projection->name();
  uint64_t at = 0;
  for (;;) {
    if (Stopping()) {
      return absl::UnavailableError(absl::StrCat(
          "irmd is stopping: the rebuild of ", name, " stopped at position ", at, " of ", until,
          "; the projection resumes from there when irmd starts again; rebuild it again then to "
          "compare digests"));
    }
    absl::StatusOr<uint64_t> next =
        ApplyAndCommit(*slot.projection, *store_, at, until, failed_at);
    if (!next.ok()) return next.status();
    if (*next == at) break;
    at = *next;
    common::MutexLock lock(&mu_);
    slot.checkpoint = at;  // state and checkpoint were committed together
  }
  if (at != until) {
    return absl::InternalError(
        absl::StrCat("rebuild of ", name, " stopped at position ", at, " of ", until));
  }
  return absl::OkStatus();
}

absl::StatusOr<RebuildReport> ProjectionRunner::Rebuild(absl::string_view name) {
  Slot* slot = nullptr;
  RebuildReport report;
  report.name = std::string(name);
  bool stopped = false;
  uint64_t stopped_at = 0;
  {
    common::MutexLock lock(&mu_);
    slot = Find(name);
    if (slot == nullptr) {
      std::vector<std::string> names;
      for (const Slot& s : slots_) names.emplace_back(s.projection->name());
      return absl::NotFoundError(absl::StrCat("no projection named ", common::Quote(name),
                                              "; projections: ", absl::StrJoin(names, ", ")));
    }
    if (stopping_) return absl::UnavailableError("irmd is stopping; rebuild after it restarts");
    if (!Claim(*slot, Slot::Holder::kRebuild)) {
      return absl::FailedPreconditionError(
          absl::StrCat("projection ", name,
                       " is being rebuilt or checked against a replay already; wait for that to "
                       "finish, then rebuild"));
    }
    report.events = slot->checkpoint;
    stopped = !slot->error.empty() && !slot->transient;
    stopped_at = slot->stopped_at;
  }
  // The slot is ours until released: rounds skip it, the rest of the runner goes on.
  struct Releaser {
    ProjectionRunner* runner;
    Slot* slot;
    ~Releaser() { runner->Release({slot}); }
  } releaser{this, slot};

  if (stopped) {
    // Stopped at an event: a replay would meet it again. Go on only if the events up to it
    // apply now (at most one chunk: the one that failed), without committing them.
    uint64_t failed_at = 0;
    absl::StatusOr<std::optional<NamespaceCommit>> probe =
        stopped_at == 0
            ? absl::StatusOr<std::optional<NamespaceCommit>>(std::nullopt)
            : ApplyChunk(*slot->projection, *store_, report.events, stopped_at,
                         /*cache=*/nullptr, &failed_at);
    if (!probe.ok()) {
      common::MutexLock lock(&mu_);
      SetError(*slot, probe.status(), failed_at);
      return absl::FailedPreconditionError(absl::StrCat(
          Describe(*slot), ". A rebuild replays the same events and would stop there again; ",
          "nothing was changed"));
    }
    report.was_stopped_at = stopped_at;
    report.events = feed_->head();
  }
  IRM_ASSIGN_OR_RETURN(report.digest_before, StateDigest(*store_, name));
  const absl::Time start = absl::Now();
  slot->cache.Clear();  // the rebuild writes around it
  IRM_RETURN_IF_ERROR(store_->Clear(name));
  {
    common::MutexLock lock(&mu_);
    slot->checkpoint = 0;
    slot->error.clear();
    slot->stopped_at = 0;
    slot->transient = false;
  }
  uint64_t failed_at = 0;
  if (absl::Status replayed = Replay(*slot, report.events, &failed_at); !replayed.ok()) {
    if (Stopping() && absl::IsUnavailable(replayed)) return replayed;
    common::MutexLock lock(&mu_);
    SetError(*slot, replayed, failed_at);
    if (failed_at == 0) return replayed;
    return absl::FailedPreconditionError(
        absl::StrCat("rebuild of ", name, " stopped: ", Describe(*slot)));
  }
  report.took = absl::Now() - start;
  IRM_ASSIGN_OR_RETURN(report.digest_after, StateDigest(*store_, name));
  return report;
}

absl::Status ProjectionRunner::ReplayInto(Projection& projection, ProjectionStore& scratch,
                                          ReplayComparison* row) {
  IRM_ASSIGN_OR_RETURN(uint64_t scratch_checkpoint, scratch.Checkpoint(row->name));
  if (scratch_checkpoint != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("scratch space already holds projection ", row->name));
  }
  uint64_t replayed = 0;
  for (;;) {
    if (Stopping()) {
      return absl::UnavailableError(absl::StrCat(
          "irmd is stopping: the replay check stopped at position ", replayed, " of ",
          row->position, " of projection ", row->name, "; run it again after the restart"));
    }
    uint64_t failed_at = 0;
    absl::StatusOr<uint64_t> next =
        ApplyAndCommit(projection, scratch, replayed, row->position, &failed_at);
    if (!next.ok()) {
      row->error = absl::StrCat("replay failed at position ", failed_at, ": ",
                                next.status().message());
      row->stopped_at = failed_at;
      return absl::OkStatus();
    }
    if (*next == replayed) break;
    replayed = *next;
  }
  if (replayed != row->position) {
    row->error = absl::StrCat("replay stopped at position ", replayed, " of ", row->position);
    return absl::OkStatus();
  }
  IRM_ASSIGN_OR_RETURN(row->replayed_digest, StateDigest(scratch, row->name));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ReplayComparison>> ProjectionRunner::ReplayCheck(
    ProjectionStore* scratch) {
  std::vector<ReplayComparison> rows;
  std::vector<Slot*> claimed;  // parallel to rows; nullptr: not compared
  {
    common::MutexLock lock(&mu_);
    if (stopping_) return absl::UnavailableError("irmd is stopping; check after it restarts");
    for (Slot& slot : slots_) {
      ReplayComparison row;
      row.name = std::string(slot.projection->name());
      Slot* mine = nullptr;
      if (!Claim(slot, Slot::Holder::kCheck)) {
        row.error = absl::StrCat("projection ", row.name,
                                 " is being rebuilt or checked by another replay check");
      } else if (!slot.error.empty()) {
        row.error = Describe(slot);
        if (!slot.transient) row.stopped_at = slot.stopped_at;
        slot.holder = Slot::Holder::kNone;
      } else {
        row.position = slot.checkpoint;
        mine = &slot;
      }
      rows.push_back(std::move(row));
      claimed.push_back(mine);
    }
  }
  // Every claimed projection is paused (rounds skip it) until released: its state stays at
  // row.position while its digest is taken, without holding the lock.
  struct Releaser {
    ProjectionRunner* runner;
    std::vector<Slot*>* slots;
    ~Releaser() { runner->Release(*slots); }
  } releaser{this, &claimed};
  std::vector<std::unique_ptr<Projection>> fresh(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (claimed[i] == nullptr) continue;
    IRM_ASSIGN_OR_RETURN(rows[i].live_digest, StateDigest(*store_, rows[i].name));
  }
  // Those that can make a fresh instance resume now; the others are replayed on the live
  // instance before they resume.
  std::vector<Slot*> resume;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (claimed[i] == nullptr) continue;
    fresh[i] = claimed[i]->projection->NewInstance();
    if (fresh[i] != nullptr) {
      resume.push_back(claimed[i]);
      claimed[i] = nullptr;
    }
  }
  Release(resume);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (claimed[i] == nullptr) continue;
    IRM_RETURN_IF_ERROR(ReplayInto(*claimed[i]->projection, *scratch, &rows[i]));
  }
  Release(std::exchange(claimed, std::vector<Slot*>(rows.size(), nullptr)));
  // The others replay beside the live projections, which keep running.
  for (size_t i = 0; i < rows.size(); ++i) {
    if (fresh[i] != nullptr) IRM_RETURN_IF_ERROR(ReplayInto(*fresh[i], *scratch, &rows[i]));
  }
  return rows;
}

std::vector<std::string> ProjectionRunner::RetryStoppedAt(uint64_t position) {
  std::vector<std::string> retried;
  {
    common::MutexLock lock(&mu_);
    for (Slot& slot : slots_) {
      if (slot.holder != Slot::Holder::kNone) continue;
      if (slot.error.empty() || slot.transient || slot.stopped_at != position) continue;
      slot.error.clear();
      slot.stopped_at = 0;
      retried.emplace_back(slot.projection->name());
    }
  }
  if (!retried.empty()) Wake();  // the runner may sleep: nothing was running
  return retried;
}

absl::Status ProjectionRunner::WaitUntilApplied(uint64_t position, absl::Duration timeout,
                                                std::vector<std::string> names) const {
  return Wait(position, timeout, names, /*cancellable=*/false);
}

absl::Status ProjectionRunner::WaitUntilAppliedForReplay(uint64_t position,
                                                         absl::Duration timeout) const {
  return Wait(position, timeout, {}, /*cancellable=*/true);
}

absl::Status ProjectionRunner::Wait(uint64_t position, absl::Duration timeout,
                                    const std::vector<std::string>& names,
                                    bool cancellable) const {
  common::MutexLock lock(&mu_);
  auto wanted = [&names](const Slot& slot) {
    return names.empty() ||
           std::find(names.begin(), names.end(), slot.projection->name()) != names.end();
  };
  auto caught_up = [this, position, &wanted]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const Slot& slot : slots_) {
      if (wanted(slot) && slot.checkpoint < position && slot.error.empty()) return false;
    }
    return true;
  };
  auto cancelled = [this, cancellable]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopped_ || (cancellable && stopping_);
  };
  auto done = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return caught_up() || cancelled(); };
  if (!mu_.AwaitWithTimeout(absl::Condition(&done), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("projections have not reached position ", position, " yet"));
  }
  if (!caught_up()) {
    return absl::UnavailableError("irmd is stopping; projections are not updated any more");
  }
  for (const Slot& slot : slots_) {
    if (!wanted(slot) || slot.error.empty()) continue;
    return absl::UnavailableError(absl::StrCat(
        Describe(slot), slot.transient ? "" : "; answers that need it are unavailable until then"));
  }
  return absl::OkStatus();
}

}  // namespace irm::projection
