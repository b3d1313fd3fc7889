// ProjectionRunner: keeps projections up to date with the log, on one background thread.
//
// Each projection resumes from its stored checkpoint (startup never replays the whole log),
// reads the events after it through the LiveFeed, applies them in chunks, and commits each
// chunk's state with its checkpoint atomically; one round's chunks of every projection go
// in one commit. Rebuild replays one projection from
// position 1 to where it stood and reports both digests, proving the incremental state
// equals a rebuilt one.
//
// A projection whose Apply fails stops at that event (it is never skipped): it shows the
// event's position and the error, and every wait on it answers Unavailable saying so, until
// the event no longer fails (it was voided, docs/void.md) and the projection is retried
// (RetryStoppedAt) or rebuilt. Errors of a full or failing disk are retried by themselves.
//
// Locking: the runner's mutex guards only the slots' bookkeeping and is never held across a
// feed read, a store read or write, or a state scan. A round claims the projections it
// steps (Slot::busy), works on them without the lock and publishes the result under it; a
// rebuild or a replay check claims its projection the same way, so neither a round nor a
// rebuild or check holds up the feed's wakes, List, WaitUntilApplied or the other
// projections. Feed wakes take only wake_mu_.
//
// Thread-safe. The feed and store must outlive the runner.
#ifndef IRM_ENGINE_PROJECTION_PROJECTION_RUNNER_H_
#define IRM_ENGINE_PROJECTION_PROJECTION_RUNNER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/mutex.h"
#include "absl/time/time.h"
#include "engine/projection/committed_state_cache.h"
#include "engine/projection/projection.h"
#include "engine/projection/projection_store.h"
#include "engine/subscription/live_feed.h"

namespace irm::projection {

enum class ProjectionState {
  kRunning,
  kStopped,         // an event it cannot apply, at stopped_at
  kWaitingForDisk,  // a full or failing disk; retried by itself
};

struct ProjectionStatus {
  std::string name;
  uint64_t checkpoint = 0;
  uint64_t head = 0;
  uint64_t lag_events = 0;
  double lag_seconds = 0;  // age of the oldest event not yet applied; 0 when caught up
  ProjectionState state = ProjectionState::kRunning;
  std::string error;        // why it is stopped or waiting, if it is
  uint64_t stopped_at = 0;  // kStopped: the position of the event it cannot apply (0: none)
};

struct RebuildReport {
  std::string name;
  uint64_t events = 0;  // positions replayed: 1 .. events
  absl::Duration took;
  std::string digest_before;
  std::string digest_after;
  // The projection was stopped at this position (by an event since voided): the rebuild ran
  // on to the head, so the digests are not comparable. 0 for a running projection.
  uint64_t was_stopped_at = 0;
};

// One projection's live state against its replay from position 1 in scratch space.
struct ReplayComparison {
  std::string name;
  uint64_t position = 0;  // both states are as of this position
  std::string live_digest;
  std::string replayed_digest;
  std::string error;  // why it could not be compared (a stopped projection)
  uint64_t stopped_at = 0;  // a stopped projection: the event it cannot apply
  bool equal() const { return error.empty() && live_digest == replayed_digest; }
};

// The store namespace that records, per projection name, the version() its state was built
// with.
inline constexpr absl::string_view kProjectionVersionsNamespace = "projection_versions";

class ProjectionRunner {
 public:
  // A projection whose state was built by another version() (or by a version before
  // versions were recorded, which counts as 1) is cleared here, so that it is rebuilt from
  // position 1 once the runner starts; its new version is recorded.
  ProjectionRunner(subscription::LiveFeed* feed, ProjectionStore* store,
                   std::vector<std::unique_ptr<Projection>> projections);
  ~ProjectionRunner();

  void Start();
  // Finishes the chunk in progress and joins the thread; a Rebuild or ReplayCheck in
  // progress stops after its current chunk with Unavailable (CancelReplays). Idempotent.
  void Stop();
  // Makes a Rebuild or ReplayCheck in progress stop after its current chunk with
  // Unavailable, and later ones answer Unavailable at once; the runner itself goes on (for
  // shutdown: the calls still draining may wait for projections). Idempotent.
  void CancelReplays();

  std::vector<ProjectionStatus> List() const;

  // Clears `name` and replays it from position 1 to its checkpoint, pausing its updates
  // meanwhile (the others keep going; its checkpoint, as List and WaitUntilApplied see it,
  // climbs with the replay); the runner then catches it up with the head. NotFound for an
  // unknown name (the message lists the known ones); FailedPrecondition if it is being
  // rebuilt or checked already. A stopped
  // projection is replayed up to the head if the event that stopped it applies now (it was
  // voided); otherwise FailedPrecondition naming the event and why, touching nothing. A
  // replay that fails leaves the projection stopped there (FailedPrecondition).
  absl::StatusOr<RebuildReport> Rebuild(absl::string_view name);

  // Lets the projections stopped at `position` try that event again (it was just voided)
  // and wakes the runner; returns their names. Those it still fails stop again.
  std::vector<std::string> RetryStoppedAt(uint64_t position);

  // Replays every projection from position 1 into `scratch` (empty; never the live store)
  // up to the position its live state has applied, and compares the two digests. The live
  // digests are taken with updates paused (not under the lock: the projections are claimed,
  // so rounds skip them); the replays then run on fresh instances (Projection::NewInstance)
  // while the live projections keep going, except for those that cannot make one, which are
  // replayed before updates resume. A stopped projection, or one being rebuilt, is reported
  // with its error, not replayed.
  absl::StatusOr<std::vector<ReplayComparison>> ReplayCheck(ProjectionStore* scratch);

  // Blocks until the projections named in `names` (all of them when empty) have applied
  // `position`, or `timeout` passes (DeadlineExceeded), or one of them is stopped
  // (Unavailable naming it, the position of the event it cannot apply and the reason) or
  // waits for the disk (Unavailable). Unavailable at once after Stop().
  absl::Status WaitUntilApplied(uint64_t position, absl::Duration timeout,
                                std::vector<std::string> names = {}) const;
  // WaitUntilApplied that also ends, Unavailable, once CancelReplays() was called: the
  // catch-up before a replay check, so shutdown need not wait for it.
  absl::Status WaitUntilAppliedForReplay(uint64_t position, absl::Duration timeout) const;

  const ProjectionStore& store() const { return *store_; }

 private:
  struct Slot {
    std::unique_ptr<Projection> projection;
    uint64_t checkpoint = 0;
    std::string error;
    uint64_t stopped_at = 0;  // the position of the event whose Apply failed, if one did
    // The error is a full disk or an I/O error (Unavailable, ResourceExhausted): the slot
    // is retried after a pause instead of staying stopped, so it resumes with the disk.
    bool transient = false;
    CommittedStateCache cache;  // what this projection's rounds read and committed lately
    // Who claimed the slot: its holder uses `projection` and `cache` without holding mu_,
    // and only it changes `checkpoint`; nobody else claims it meanwhile.
    enum class Holder { kNone, kRound, kRebuild, kCheck };
    Holder holder = Holder::kNone;
  };

  // What one round over every projection did.
  struct Round {
    bool progressed = false;   // some projection committed new events
    bool retry_later = false;  // some projection waits for the disk (a transient error)
    uint64_t lowest = UINT64_MAX;  // the lowest checkpoint of the projections running
  };

  void Run();
  // Applies up to one chunk to every running projection and commits them all in one write.
  // Takes mu_ only to claim the slots and to publish the results.
  Round StepAll() ABSL_LOCKS_EXCLUDED(mu_);
  // Claims `slot` for `holder` (kRebuild or kCheck), waiting while a round holds it (one
  // chunk at most); false if a rebuild or check holds it.
  bool Claim(Slot& slot, Slot::Holder holder) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Gives back claims taken by Claim (nullptr entries are skipped) and wakes the runner to
  // catch those slots up.
  void Release(const std::vector<Slot*>& slots) ABSL_LOCKS_EXCLUDED(mu_);
  bool Stopping() const ABSL_LOCKS_EXCLUDED(mu_);
  // Bumps wakes_ so a sleeping Run() looks again.
  void Wake() ABSL_LOCKS_EXCLUDED(wake_mu_);
  // Stops `slot` with `status` (`failed_at`: the event whose Apply failed, 0 for a store
  // error); transient for a full disk or an I/O error.
  static void SetError(Slot& slot, const absl::Status& status, uint64_t failed_at);
  // "projection NAME is stopped at position P: ERROR" (or waits for the disk).
  static std::string Describe(const Slot& slot);
  Slot* Find(absl::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies up to one chunk of the events after `after` (up to `until`) to `projection`'s
  // state in `store`, without writing: the changes and the new checkpoint, nullopt if no
  // event. Touches no guarded member: callers serialize calls per projection instance.
  // Reads committed values through `cache` when not null (a live slot's; never for replays).
  // When Apply fails, the error is Apply's and *failed_at the event's position.
  absl::StatusOr<std::optional<NamespaceCommit>> ApplyChunk(Projection& projection,
                                                            const ProjectionStore& store,
                                                            uint64_t after, uint64_t until,
                                                            CommittedStateCache* cache,
                                                            uint64_t* failed_at);
  // ApplyChunk, then commits that chunk alone; returns the new checkpoint (`after` if none).
  absl::StatusOr<uint64_t> ApplyAndCommit(Projection& projection, ProjectionStore& store,
                                          uint64_t after, uint64_t until, uint64_t* failed_at);
  // Replays `projection` from position 1 to row->position into `scratch` and fills
  // row->replayed_digest, or row->error if the replay fails.
  absl::Status ReplayInto(Projection& projection, ProjectionStore& scratch,
                          ReplayComparison* row) ABSL_LOCKS_EXCLUDED(mu_);
  // Replays `slot` (claimed) from 1 to `until` into the live store, publishing its
  // checkpoint after each chunk. Unavailable if Stop() is called meanwhile.
  absl::Status Replay(Slot& slot, uint64_t until, uint64_t* failed_at) ABSL_LOCKS_EXCLUDED(mu_);

  subscription::LiveFeed* const feed_;
  ProjectionStore* const store_;

  mutable common::Mutex mu_;
  std::vector<Slot> slots_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;  // Stop() or CancelReplays() was called
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;   // Stop() was called
  absl::Status Wait(uint64_t position, absl::Duration timeout,
                    const std::vector<std::string>& names, bool cancellable) const;
  // Separate from mu_ so a feed wake (on the feed's dispatcher) never waits for the runner.
  mutable common::Mutex wake_mu_ ABSL_ACQUIRED_AFTER(mu_);
  uint64_t wakes_ ABSL_GUARDED_BY(wake_mu_) = 0;  // bumped by feed wakes, Stop and retries
  bool wake_stop_ ABSL_GUARDED_BY(wake_mu_) = false;  // Stop() was called
  std::thread thread_;
};

}  // namespace irm::projection

#endif  // IRM_ENGINE_PROJECTION_PROJECTION_RUNNER_H_
