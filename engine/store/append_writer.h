// AppendWriter: the log's single writer, with group commit.
//
// Callers submit validated appends from any thread. One writer thread drains everything
// queued, decides each append against the log as it will stand (expected revision,
// idempotency), assigns dense positions, and commits the whole group in one RocksDB
// WriteBatch with one fsync. Only then are the appends acknowledged and the head advanced,
// so the head never covers an event that is not durable, and positions equal commit order.
// Each event's stored bytes are also a leaf of the log's Merkle tree, whose new nodes go into
// the same batch (tree_writer.h).
// A refused append writes nothing; if the group's write fails, every append in it fails
// with the storage error and the head does not move.
//
// Thread-safe. Destruction closes the writer.
#ifndef IRM_ENGINE_STORE_APPEND_WRITER_H_
#define IRM_ENGINE_STORE_APPEND_WRITER_H_

#include <atomic>
#include <deque>
#include <functional>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "engine/common/clock.h"
#include "engine/log/event_log.h"
#include "engine/store/log_database.h"
#include "engine/store/tree_writer.h"

namespace irm::store {

class AppendWriter {
 public:
  // `database`, `clock` and `tree` must outlive the writer. `head` is the last durable
  // position; `tree` holds exactly `head` leaves. Groups are refused with ResourceExhausted
  // while the disk has less than `min_free_bytes` free besides the group (disk_space.h); 0
  // disables the check.
  AppendWriter(LogDatabase* database, common::Clock* clock, uint64_t head, TreeWriter* tree,
               uint64_t min_free_bytes = 0);
  ~AppendWriter();

  AppendWriter(const AppendWriter&) = delete;
  AppendWriter& operator=(const AppendWriter&) = delete;

  // Queues `request` (already validated). `done` runs once on the writer thread, or on the
  // caller's thread with Unavailable if the writer is closed.
  void Submit(log::AppendRequest request, log::AppendCallback done);

  // The last durable position. Acquire ordering: events up to it are readable.
  uint64_t head() const { return head_.load(std::memory_order_acquire); }

  // See EventLog::SetCommitListener.
  void SetCommitListener(std::function<void(uint64_t)> listener);

  // Refuses new appends, commits what is queued, and joins the thread. Idempotent.
  void Close();

 private:
  struct Pending {
    log::AppendRequest request;
    log::AppendCallback done;
  };
  class Group;  // one commit group's decisions; defined in the .cc

  void Run();
  void CommitGroup(std::deque<Pending> group, const std::function<void(uint64_t)>& listener);

  LogDatabase* const database_;
  common::Clock* const clock_;
  TreeWriter* const tree_;  // touched by the writer thread only
  const uint64_t min_free_bytes_;
  std::atomic<uint64_t> head_;

  // Last revision of recently written streams; touched by the writer thread only.
  absl::flat_hash_map<std::string, uint64_t> last_revision_cache_;

  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void(uint64_t)> listener_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_APPEND_WRITER_H_
