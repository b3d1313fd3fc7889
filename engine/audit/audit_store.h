// AuditStore: what the audit service and the checkpointer read and write: the log's stored
// tree nodes and leaf bytes, and the signed checkpoints. Implemented over RocksDB in
// engine/store/rocksdb_audit_store.h. Implementations are thread-safe.
#ifndef IRM_ENGINE_AUDIT_AUDIT_STORE_H_
#define IRM_ENGINE_AUDIT_AUDIT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/audit/checkpoint.h"
#include "engine/audit/tree_proofs.h"

namespace irm::audit {

class AuditStore : public NodeSource {
 public:
  // The number of leaves whose events are durable (the log's head position). Every node of
  // the tree of this size is stored. Monotonic.
  virtual uint64_t TreeSize() const = 0;

  // The stored bytes of leaves [first_index, first_index + count), clamped to TreeSize() and
  // to at most `max_bytes` in total (at least one leaf). Leaf i is the event at position i+1.
  virtual absl::StatusOr<std::vector<std::string>> ReadLeaves(uint64_t first_index,
                                                             size_t count,
                                                             size_t max_bytes) const = 0;

  // Stores `checkpoint` under its size, replacing nothing: AlreadyExists if one is stored
  // for that size.
  virtual absl::Status PutCheckpoint(const Checkpoint& checkpoint) = 0;
  // The checkpoint of the largest size, or nullopt.
  virtual absl::StatusOr<std::optional<Checkpoint>> LatestCheckpoint() const = 0;
  // The checkpoint stored for `size`, or nullopt.
  virtual absl::StatusOr<std::optional<Checkpoint>> CheckpointAt(uint64_t size) const = 0;
  // Up to `max_count` checkpoints of size >= `from_size`, by increasing size.
  virtual absl::StatusOr<std::vector<Checkpoint>> ListCheckpoints(uint64_t from_size,
                                                                 size_t max_count) const = 0;

  // Public keys that signed checkpoints, by key id (PEM), kept so a stopped folder can be
  // checked offline.
  virtual absl::Status PutPublicKey(const std::string& key_id, const std::string& pem) = 0;
  virtual absl::StatusOr<std::optional<std::string>> PublicKey(const std::string& key_id) const = 0;
};

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_AUDIT_STORE_H_
