// EtcdReplicator: the cluster's authoritative log in etcd (docs/cluster.md), and the tail
// that keeps this node's RocksDB copy up with it.
//
// Keys, under a prefix (default "/irm/"):
//   PREFIX "log/" + 20-digit zero-padded position -> the event's stored bytes (a serialized
//                                                    EventRecord with position, recorded
//                                                    time and everything the tree hashes)
//   PREFIX "head"                                 -> the last position, in decimal
// A commit is one etcd transaction: if `head` still holds the committer's head H (absent for
// H = 0), put the group's event keys H+1.. and the new head; otherwise read back key H+1, so
// that a resent transaction whose first copy committed (an etcd answer lost on the way)
// recognises its own records instead of committing them again.
//
// The tail (Start): reads the log after the local head with Range at one fixed revision R in
// pages bounded by key, hands the records to the local log (RocksDbEventLog::ApplyReplicated),
// then watches the log keys from R+1 and hands over what each watch response carries; on a
// broken watch, a cancellation (compaction, a member without a leader) or any error it reads
// again from the local head. It never catches up through the watch (etcd replays old
// revisions slowly, cluster-notes.md).
//
// Thread-safe. Stop() (also on destruction) cancels the watch and joins the tail thread.
#ifndef IRM_ENGINE_CLUSTER_ETCD_REPLICATOR_H_
#define IRM_ENGINE_CLUSTER_ETCD_REPLICATOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/cluster/etcd_client.h"
#include "engine/common/mutex.h"
#include "engine/log/event_log.h"
#include "engine/store/commit_replicator.h"
#include "engine/store/rocksdb_event_log.h"

namespace irm::cluster {

struct EtcdReplicatorOptions {
  std::string prefix = "/irm/";
  // Events per catch-up page (a page is one Range bounded by key).
  uint64_t page_events = 128;
};

class EtcdReplicator final : public store::CommitReplicator {
 public:
  // `client` is not owned and must outlive the replicator.
  EtcdReplicator(EtcdClient* client, EtcdReplicatorOptions options = {});
  ~EtcdReplicator() override;

  EtcdReplicator(const EtcdReplicator&) = delete;
  EtcdReplicator& operator=(const EtcdReplicator&) = delete;

  absl::StatusOr<bool> Commit(uint64_t head, const std::vector<std::string>& records) override;
  absl::StatusOr<std::vector<std::string>> ReadAfter(uint64_t head, uint64_t max_bytes) override;

  // Checks that `log` (this node's copy) is a prefix of the cluster's log: its last event is
  // stored in etcd at its position with the same bytes. FailedPrecondition otherwise (the
  // folder belongs to another log, or etcd's log was wiped); Unavailable if etcd cannot say.
  absl::Status CheckCopy(const log::EventLog& log);

  // Starts tailing etcd into `log` (not owned; outlives Stop()). At most once.
  void Start(store::RocksDbEventLog* log);
  // Stops the tail and joins it. Idempotent.
  void Stop();

  // True while the last exchange with etcd (tail or commit) succeeded: writes can be taken.
  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  // Called with the new value each time connected() changes, on the thread that saw it;
  // must not block. May be set at any time. irmd turns it into the health of
  // "irm.cluster.writes".
  void SetConnectivityListener(std::function<void(bool)> listener) {
    common::MutexLock lock(&listener_mu_);
    connectivity_listener_ = std::move(listener);
  }
  // The shared log's head as last seen by the tail (0 before the first read).
  uint64_t seen_head() const { return seen_head_.load(std::memory_order_relaxed); }

  // The etcd key of the event at `position`.
  std::string LogKey(uint64_t position) const;

 private:
  void Tail();
  // One read-then-watch round of the tail; returns when the watch ends or on error.
  absl::Status TailOnce();
  void SetConnected(bool connected);
  // Waits up to `delay` unless stopping.
  void Pause(absl::Duration delay);

  EtcdClient* const client_;
  const EtcdReplicatorOptions options_;
  const std::string head_key_;
  store::RocksDbEventLog* log_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> seen_head_{0};
  common::Mutex listener_mu_;  // serializes listener calls with SetConnectivityListener
  std::function<void(bool)> connectivity_listener_ ABSL_GUARDED_BY(listener_mu_);

  common::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::shared_ptr<EtcdWatch> watch_ ABSL_GUARDED_BY(mu_);  // the open watch, for Stop()
  std::thread thread_;
};

}  // namespace irm::cluster

#endif  // IRM_ENGINE_CLUSTER_ETCD_REPLICATOR_H_
