// CommitReplicator: the authoritative log of a cluster (docs/cluster.md), as the local log's
// writer sees it.
//
// In cluster mode the log's committer (append_writer.h) decides each commit group against its
// local copy at head H, then asks the replicator to commit the group's stored bytes at
// positions H+1.. only if the shared log's head is still H. Only after that does it write the
// group to its own RocksDB and acknowledge. When the shared log moved on (another node
// committed), the committer reads the events it lacks with ReadAfter, applies them, and
// decides again. The implementation (engine/cluster/etcd_replicator.h) is etcd; this header
// keeps engine/store free of it.
//
// Implementations are thread-safe; the committer calls one method at a time.
#ifndef IRM_ENGINE_STORE_COMMIT_REPLICATOR_H_
#define IRM_ENGINE_STORE_COMMIT_REPLICATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace irm::store {

// Per-transaction limits of the shared log: a group holds at most this many events and this
// many bytes of stored records (etcd: 128 operations per transaction, one of them the head,
// and 1.5 MiB per request, with room for keys and framing).
inline constexpr size_t kMaxReplicatedGroupEvents = 127;
inline constexpr uint64_t kMaxReplicatedGroupBytes = 1400 * 1024;
// Cluster mode's caps on an append: the events and bytes (data plus custom metadata) of one
// append, and so of one event, fit one etcd transaction with room for the records' framing
// (`irmd --max-event-bytes` is refused above kClusterMaxAppendBytes in cluster mode).
inline constexpr size_t kClusterMaxEventsPerAppend = kMaxReplicatedGroupEvents;
inline constexpr size_t kClusterMaxAppendBytes = 1 << 20;

class CommitReplicator {
 public:
  virtual ~CommitReplicator() = default;

  // Commits `records` (serialized EventRecords at positions head+1, head+2, ...) if the
  // shared log's head is `head`. true: committed (durable on a quorum); false: the head is
  // elsewhere and nothing was written. Unavailable: not committed, or outcome unknown
  // (reason ETCD_OUTCOME_UNKNOWN); the caller must catch up before deciding again.
  virtual absl::StatusOr<bool> Commit(uint64_t head, const std::vector<std::string>& records) = 0;

  // The stored records after position `head`, in position order, at most `max_bytes` of them
  // (at least one if any); empty once `head` is the shared log's head. DataLoss if the shared
  // log has a gap or ends before `head`.
  virtual absl::StatusOr<std::vector<std::string>> ReadAfter(uint64_t head, uint64_t max_bytes) = 0;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_COMMIT_REPLICATOR_H_
