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

}  // namespace

ProjectionRunner::ProjectionRunner(subscription::LiveFeed* feed, ProjectionStore* store,
                                   std::vector<std::unique_ptr<Projection>> projections)
    : feed_(feed), store_(store) {
  absl::MutexLock lock(&mu_);
  for (auto& projection : projections) {
    Slot slot;
    absl::StatusOr<uint64_t> checkpoint = store_->Checkpoint(projection->name());
    if (checkpoint.ok()) {
      slot.checkpoint = *checkpoint;
    } else {
      slot.error = std::string(checkpoint.status().message());
    }
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
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

ProjectionRunner::Slot* ProjectionRunner::Find(absl::string_view name) {
  for (Slot& slot : slots_) {
    if (slot.projection->name() == name) return &slot;
  }
  return nullptr;
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
  std::vector<NamespaceCommit> parts;
  std::vector<Slot*> stepped;  // parallel to parts
  for (Slot& slot : slots_) {
    if (!slot.error.empty() && !slot.transient) continue;
    uint64_t failed_at = 0;
    absl::StatusOr<std::optional<NamespaceCommit>> part =
        ApplyChunk(*slot.projection, *store_, slot.checkpoint, head, &slot.cache, &failed_at);
    if (!part.ok()) {
      SetError(slot, part.status(), failed_at);
      round.retry_later = round.retry_later || slot.transient;
      continue;
    }
    if (part->has_value()) {
      parts.push_back(std::move(**part));
      stepped.push_back(&slot);
    } else {
      slot.error.clear();
      slot.transient = false;
      round.lowest = std::min(round.lowest, slot.checkpoint);
    }
  }
  if (parts.empty()) return round;
  // One write for the whole round: every projection's changes and checkpoint together.
  const absl::Status committed = store_->CommitAll(parts);
  for (size_t i = 0; i < parts.size(); ++i) {
    Slot& slot = *stepped[i];
    if (!committed.ok()) {
      slot.cache.Clear();
      SetError(slot, committed, 0);
      round.retry_later = round.retry_later || slot.transient;
      continue;
    }
    slot.cache.Committed(parts[i].changes);
    slot.checkpoint = parts[i].checkpoint;
    slot.error.clear();
    slot.transient = false;
    round.progressed = true;
    round.lowest = std::min(round.lowest, slot.checkpoint);
  }
  return round;
}

void ProjectionRunner::Run() {
  for (;;) {
    Round round;
    uint64_t wakes_seen;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      wakes_seen = wakes_;
      round = StepAll();
    }
    if (round.retry_later) {
      absl::SleepFor(absl::Milliseconds(200));  // the disk is full or failing: pause
      continue;
    }
    if (round.progressed) continue;
    // Caught up: sleep until the feed moves past the lowest checkpoint (or a short timeout,
    // which also notices Stop()).
    subscription::LiveFeed::WaitId id = 0;
    const uint64_t lowest = round.lowest;
    bool registered = lowest != UINT64_MAX &&
                      feed_->WaitFor(lowest + 1, [this] {
                        absl::MutexLock lock(&mu_);
                        ++wakes_;
                      }, &id);
    {
      absl::MutexLock lock(&mu_);
      auto woken = [this, wakes_seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || wakes_ != wakes_seen;
      };
      if (registered || lowest == UINT64_MAX) {
        mu_.AwaitWithTimeout(absl::Condition(&woken), absl::Milliseconds(250));
      }
    }
    if (registered) feed_->Cancel(id);
  }
}

std::vector<ProjectionStatus> ProjectionRunner::List() const {
  std::vector<ProjectionStatus> out;
  const uint64_t head = feed_->head();
  absl::MutexLock lock(&mu_);
  for (const Slot& slot : slots_) {
    ProjectionStatus status;
    status.name = std::string(slot.projection->name());
    status.checkpoint = slot.checkpoint;
    status.head = head;
    status.lag_events = head > slot.checkpoint ? head - slot.checkpoint : 0;
    status.error = slot.error;
    if (!slot.error.empty()) {
      status.state = slot.transient ? ProjectionState::kWaitingForDisk : ProjectionState::kStopped;
      if (!slot.transient) status.stopped_at = slot.stopped_at;
    }
    if (status.lag_events > 0) {
      absl::StatusOr<std::vector<subscription::SharedEvent>> next = feed_->Read(slot.checkpoint + 1, 1);
      if (next.ok() && !next->empty()) {
        status.lag_seconds = std::max(
            0.0, absl::ToDoubleSeconds(absl::Now() - absl::FromUnixMicros(
                                                        (*next)[0]->metadata().recorded_at_us())));
      }
    }
    out.push_back(std::move(status));
  }
  return out;
}

absl::StatusOr<RebuildReport> ProjectionRunner::Rebuild(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  Slot* slot = Find(name);
  if (slot == nullptr) {
    std::vector<std::string> names;
    for (const Slot& s : slots_) names.emplace_back(s.projection->name());
    return absl::NotFoundError(absl::StrCat("no projection named ", common::Quote(name),
                                            "; projections: ", absl::StrJoin(names, ", ")));
  }
  RebuildReport report;
  report.name = std::string(name);
  report.events = slot->checkpoint;
  if (!slot->error.empty() && !slot->transient) {
    // Stopped at an event: a replay would meet it again. Go on only if the events up to it
    // apply now (at most one chunk: the one that failed), without committing them.
    uint64_t failed_at = 0;
    absl::StatusOr<std::optional<NamespaceCommit>> probe =
        slot->stopped_at == 0
            ? absl::StatusOr<std::optional<NamespaceCommit>>(std::nullopt)
            : ApplyChunk(*slot->projection, *store_, slot->checkpoint, slot->stopped_at,
                         /*cache=*/nullptr, &failed_at);
    if (!probe.ok()) {
      SetError(*slot, probe.status(), failed_at);
      return absl::FailedPreconditionError(absl::StrCat(
          Describe(*slot), ". A rebuild replays the same events and would stop there again; ",
          "nothing was changed"));
    }
    report.was_stopped_at = slot->stopped_at;
    report.events = feed_->head();
  }
  IRM_ASSIGN_OR_RETURN(report.digest_before, StateDigest(*store_, name));
  const absl::Time start = absl::Now();
  slot->cache.Clear();  // the rebuild writes around it
  IRM_RETURN_IF_ERROR(store_->Clear(name));
  slot->checkpoint = 0;
  slot->error.clear();
  slot->stopped_at = 0;
  slot->transient = false;
  for (;;) {
    uint64_t failed_at = 0;
    absl::StatusOr<uint64_t> checkpoint = ApplyAndCommit(*slot->projection, *store_,
                                                         slot->checkpoint, report.events, &failed_at);
    if (!checkpoint.ok()) {
      SetError(*slot, checkpoint.status(), failed_at);
      if (failed_at == 0) return checkpoint.status();
      return absl::FailedPreconditionError(
          absl::StrCat("rebuild of ", name, " stopped: ", Describe(*slot)));
    }
    if (*checkpoint == slot->checkpoint) break;
    slot->checkpoint = *checkpoint;
  }
  report.took = absl::Now() - start;
  if (slot->checkpoint != report.events) {
    return absl::InternalError(absl::StrCat("rebuild of ", name, " stopped at position ",
                                            slot->checkpoint, " of ", report.events));
  }
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
  std::vector<std::unique_ptr<Projection>> fresh;  // parallel to rows; nullptr: replayed
  {
    // The live digests are taken together, with updates paused; projections that cannot
    // make a fresh instance are replayed here too, before updates resume.
    absl::MutexLock lock(&mu_);
    for (Slot& slot : slots_) {
      ReplayComparison row;
      row.name = std::string(slot.projection->name());
      row.position = slot.checkpoint;
      std::unique_ptr<Projection> instance;
      if (!slot.error.empty()) {
        row.error = Describe(slot);
        if (!slot.transient) row.stopped_at = slot.stopped_at;
      } else {
        IRM_ASSIGN_OR_RETURN(row.live_digest, StateDigest(*store_, row.name));
        instance = slot.projection->NewInstance();
        if (instance == nullptr) IRM_RETURN_IF_ERROR(ReplayInto(*slot.projection, *scratch, &row));
      }
      rows.push_back(std::move(row));
      fresh.push_back(std::move(instance));
    }
  }
  // The others replay beside the live projections, which keep running.
  for (size_t i = 0; i < rows.size(); ++i) {
    if (fresh[i] != nullptr) IRM_RETURN_IF_ERROR(ReplayInto(*fresh[i], *scratch, &rows[i]));
  }
  return rows;
}

std::vector<std::string> ProjectionRunner::RetryStoppedAt(uint64_t position) {
  std::vector<std::string> retried;
  absl::MutexLock lock(&mu_);
  for (Slot& slot : slots_) {
    if (slot.error.empty() || slot.transient || slot.stopped_at != position) continue;
    slot.error.clear();
    slot.stopped_at = 0;
    retried.emplace_back(slot.projection->name());
  }
  if (!retried.empty()) ++wakes_;  // the runner may sleep: nothing was running
  return retried;
}

absl::Status ProjectionRunner::WaitUntilApplied(uint64_t position, absl::Duration timeout,
                                                std::vector<std::string> names) const {
  absl::MutexLock lock(&mu_);
  auto wanted = [&names](const Slot& slot) {
    return names.empty() ||
           std::find(names.begin(), names.end(), slot.projection->name()) != names.end();
  };
  auto applied = [this, position, &wanted]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const Slot& slot : slots_) {
      if (wanted(slot) && slot.checkpoint < position && slot.error.empty()) return false;
    }
    return true;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&applied), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("projections have not reached position ", position, " yet"));
  }
  for (const Slot& slot : slots_) {
    if (!wanted(slot) || slot.error.empty()) continue;
    return absl::UnavailableError(absl::StrCat(
        Describe(slot), slot.transient ? "" : "; answers that need it are unavailable until then"));
  }
  return absl::OkStatus();
}

}  // namespace irm::projection
