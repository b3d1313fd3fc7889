// AppendWriter: the log's single committer, with group commit.
//
// Callers submit validated appends from any thread. One commit runs at a time: it decides
// each append of its group against the log as it will stand (expected revision,
// idempotency), assigns dense positions, and writes the whole group in one RocksDB
// WriteBatch with one fsync. Only then is the head advanced and are the appends
// acknowledged, so the head never covers an event that is not durable, and positions equal
// commit order.
//
// Who commits (leader-follower): a caller that finds no commit running commits its own
// append, with anything queued, on its own thread; that saves two thread switches for a
// lone append. Appends submitted while a commit runs are queued, and the writer thread
// commits them as one group as soon as the running commit is durable. Acknowledgements and
// the commit listener run after the commit has released the log, so the next group's fsync
// overlaps them; a commit sets its events aside for the listener before it releases the
// log, so whichever listener call runs first hands over every event before it, in order.
// Each event's stored bytes are also a leaf of the log's Merkle tree, whose new nodes go into
// the same batch (tree_writer.h).
// A refused append writes nothing; if the group's write fails, every append in it fails
// with Unavailable, outcome unknown (the group may have reached the disk), and the head does
// not move. Before its next commit the writer then re-establishes what is stored
// (Reconcile): it recovers the database and reads the log's last position; if the failed
// group landed, it adopts it (head, Merkle tree, commit listener), so retries with the same
// ids answer already_written with the stored positions and positions stay gap-free.
//
// Memory is bounded in bytes (docs/reliability.md, "Memory"): the appends the writer holds,
// queued or in the running commit, carry at most `max_buffered_bytes` of data and metadata
// together (AppendBytes); an append that would pass the bound while others are held is
// refused at once with ResourceExhausted (reason BUFFERS_FULL, a retry delay attached),
// nothing appended. One group holds at most kMaxAppendsPerGroup appends and
// kMaxGroupBytes bytes (or a single append of more).
//
// Cluster mode (a CommitReplicator given, commit_replicator.h; docs/cluster.md): a group is
// decided against the local copy at head H as above, then committed to the shared log only
// if its head is still H, and only then written here and acknowledged; groups hold at most
// kMaxReplicatedGroupEvents events and kMaxReplicatedGroupBytes. If another node moved the
// shared head, the writer catches up (ReadAfter) and decides the group again (at most
// kMaxReplicatedAttempts times). Records committed by any node reach the local copy through
// SubmitReplicated (the tail) or a catch-up, one commit at a time like groups, so positions,
// bytes and the Merkle tree equal the shared log's.
//
// Thread-safe. Destruction closes the writer.
#ifndef IRM_ENGINE_STORE_APPEND_WRITER_H_
#define IRM_ENGINE_STORE_APPEND_WRITER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/common/mutex.h"
#include "engine/common/clock.h"
#include "engine/log/event_log.h"
#include "engine/store/commit_replicator.h"
#include "engine/store/log_database.h"
#include "engine/store/tree_writer.h"

namespace irm::store {

// Bytes an append holds while it waits: its events' data, custom metadata, types and ids,
// and its stream name. What the writer's byte bound counts.
uint64_t AppendBytes(const log::AppendRequest& request);

// The writer's byte bound by default, and the most bytes of appends one commit group holds.
inline constexpr uint64_t kDefaultMaxBufferedBytes = 128ull << 20;
inline constexpr uint64_t kMaxGroupBytes = 32ull << 20;

class AppendWriter {
 public:
  // What the writer holds now, its bound and how often it refused; for metrics.
  struct Buffered {
    uint64_t bytes = 0;
    uint64_t max_bytes = 0;
    uint64_t refused = 0;
  };

  // `database`, `clock` and `tree` must outlive the writer. `head` is the last durable
  // position; `tree` holds exactly `head` leaves. Groups are refused with ResourceExhausted
  // while the disk has less than `min_free_bytes` free besides the group (disk_space.h); 0
  // disables the check.
  // `max_buffered_bytes` bounds the appends held (see the class comment; 0 is taken as 1:
  // one append at a time). `replicator` (not owned, outlives the writer): cluster mode.
  AppendWriter(LogDatabase* database, common::Clock* clock, uint64_t head, TreeWriter* tree,
               uint64_t min_free_bytes = 0,
               uint64_t max_buffered_bytes = kDefaultMaxBufferedBytes,
               CommitReplicator* replicator = nullptr);
  ~AppendWriter();

  AppendWriter(const AppendWriter&) = delete;
  AppendWriter& operator=(const AppendWriter&) = delete;

  // Commits `request` (already validated) now on the caller's thread if no commit is
  // running, else queues it for the writer thread. `done` runs exactly once, after the
  // commit (on whichever thread committed), or at once with Unavailable if the writer is
  // closed. It must not append synchronously.
  void Submit(log::AppendRequest request, log::AppendCallback done);

  // Cluster mode: `records` were committed to the shared log (by any node), in position
  // order. Those after head() are written to the local copy, on the caller's thread if no
  // commit runs, else by the committing thread; a gap before them is filled by a catch-up.
  // Blocks while 64 such batches wait. Dropped once the writer is closing.
  void SubmitReplicated(std::vector<std::string> records);

  Buffered buffered() const;

  // The last durable position. Acquire ordering: events up to it are readable.
  uint64_t head() const { return head_.load(std::memory_order_acquire); }

  // See EventLog::SetCommitListener. Calls are serialized and hand over events in order.
  void SetCommitListener(log::CommitListener listener);

  // Refuses new appends, commits what is queued, waits until every commit (on any thread)
  // has acknowledged its appends and called the listener, and joins the thread. Idempotent.
  void Close();

 private:
  struct Pending {
    log::AppendRequest request;
    log::AppendCallback done;
    uint64_t bytes = 0;  // AppendBytes(request) as submitted, counted in buffered_bytes_
  };
  class Group;  // one commit group's decisions; defined in the .cc

  void Run();
  // Counts `bytes` in buffered_bytes_, or returns ResourceExhausted if that would pass the
  // bound while something else is held.
  absl::Status Reserve(uint64_t bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves queued appends, oldest first, into `group` until it holds `limit` appends or
  // adding the next would pass kMaxGroupBytes.
  // In cluster mode also stops before kMaxReplicatedGroupEvents events or
  // kMaxReplicatedGroupBytes bytes in all; `events` and `bytes` are already in the group.
  void TakeQueued(std::deque<Pending>* group, size_t limit, size_t events = 0,
                  uint64_t bytes = 0) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Commits `group` after applying `replicated` (SubmitReplicated); the caller has set
  // committing_, which this clears once the group is durable (or refused), before
  // acknowledging it.
  void CommitGroup(std::deque<Pending> group,
                   std::deque<std::vector<std::string>> replicated = {});
  // Cluster mode: decides `group` and commits it to the shared log, then locally (see the
  // class comment); fills `results`, one per append.
  void CommitReplicated(std::deque<Pending>& group,
                        std::vector<absl::StatusOr<log::AppendResult>>* results);
  // Cluster mode, committing thread: writes the records after head() of `records` to the
  // local copy (a catch-up first if they start past head() + 1) and sets them aside for the
  // listener.
  absl::Status ApplyRecords(const std::vector<std::string>& records);
  // Cluster mode, committing thread: applies everything the shared log holds past head().
  absl::Status CatchUp();
  // Sets a durable group's events aside for the listener; before committing_ is cleared,
  // so they are set aside in commit order.
  void SetAside(std::vector<log::CommittedEvent> events);
  // Hands every event set aside to the listener.
  void NotifyCommitted();
  // Before each commit (by the committing thread): recovers the database if any write to it
  // failed (LogDatabase::Recover), and after this writer's own failed group adopts the
  // events past head() that landed, setting them aside for the listener. True if it
  // adopted some; Unavailable if the database cannot take writes (nothing is written
  // then), DataLoss if the log is shorter than the head.
  absl::StatusOr<bool> Reconcile();

  LogDatabase* const database_;
  common::Clock* const clock_;
  const uint64_t min_free_bytes_;
  const uint64_t max_buffered_bytes_;
  std::atomic<uint64_t> head_;

  mutable common::Mutex mu_;
  // Bytes of the appends held: queued, or in a commit not yet acknowledged.
  uint64_t buffered_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  // True while a commit runs. Only the thread that set it touches tree_ and
  // last_revision_cache_ until it clears it; mu_ orders one commit's changes before the next.
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  // Commits whose acknowledgements and listener call are still running; Close() waits for
  // them, so no thread is inside this writer once it returns.
  int acknowledging_ ABSL_GUARDED_BY(mu_) = 0;
  TreeWriter* const tree_;
  // Last revision of recently written streams.
  absl::flat_hash_map<std::string, uint64_t> last_revision_cache_;
  // A group's write failed and Reconcile has not succeeded since; like tree_, touched only
  // by the committing thread.
  bool reconcile_ = false;
  CommitReplicator* const replicator_;
  // Cluster mode, committing thread only: the shared log may be ahead of head() (a failed
  // compare, an unknown outcome, a gap): catch up before deciding.
  bool behind_ = true;
  // Batches from SubmitReplicated waiting for the committing thread.
  std::deque<std::vector<std::string>> replicated_ ABSL_GUARDED_BY(mu_);

  common::Mutex listener_mu_;  // serializes listener calls
  log::CommitListener listener_ ABSL_GUARDED_BY(listener_mu_);
  // Its own lock, so a commit setting events aside never waits for a listener call.
  common::Mutex set_aside_mu_ ABSL_ACQUIRED_AFTER(listener_mu_);
  bool has_listener_ ABSL_GUARDED_BY(set_aside_mu_) = false;
  std::vector<log::CommittedEvent> set_aside_ ABSL_GUARDED_BY(set_aside_mu_);
  std::thread thread_;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_APPEND_WRITER_H_
