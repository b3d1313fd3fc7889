// RocksDbAuditStore: audit::AuditStore over the log's RocksDB folder: tree nodes from the
// merkle family, leaf bytes from the events family (exactly the bytes stored and hashed),
// checkpoints and signers' public keys from the checkpoints family.
//
// Thread-safe. The tree size is the log's head, read through `head` on every call.
#ifndef IRM_ENGINE_STORE_ROCKSDB_AUDIT_STORE_H_
#define IRM_ENGINE_STORE_ROCKSDB_AUDIT_STORE_H_

#include <functional>

#include "engine/audit/audit_store.h"
#include "engine/store/log_database.h"

namespace irm::store {

class RocksDbAuditStore final : public audit::AuditStore {
 public:
  // `database` must outlive the store; `head` returns the last durable position.
  RocksDbAuditStore(LogDatabase* database, std::function<uint64_t()> head)
      : database_(database), head_(std::move(head)) {}

  absl::StatusOr<audit::Hash> Node(uint32_t level, uint64_t index) const override;
  uint64_t TreeSize() const override { return head_(); }
  absl::StatusOr<std::vector<std::string>> ReadLeaves(uint64_t first_index, size_t count,
                                                     size_t max_bytes) const override;
  absl::Status PutCheckpoint(const audit::Checkpoint& checkpoint) override;
  absl::StatusOr<std::optional<audit::Checkpoint>> LatestCheckpoint() const override;
  absl::StatusOr<std::optional<audit::Checkpoint>> CheckpointAt(uint64_t size) const override;
  absl::StatusOr<std::vector<audit::Checkpoint>> ListCheckpoints(uint64_t from_size,
                                                                size_t max_count) const override;
  absl::Status PutPublicKey(const std::string& key_id, const std::string& pem) override;
  absl::StatusOr<std::optional<std::string>> PublicKey(const std::string& key_id) const override;

 private:
  LogDatabase* const database_;
  const std::function<uint64_t()> head_;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_ROCKSDB_AUDIT_STORE_H_
