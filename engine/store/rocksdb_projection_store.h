// RocksDbProjectionStore: projection state in the log's own RocksDB, column family
// "projections", so state and checkpoints share the log's write-ahead log and a crash
// recovers them to one consistent point.
//
// Keys: ns 0x00 'c' -> BE64(checkpoint); ns 0x00 's' key -> value. Thread-safe.
#ifndef IRM_ENGINE_STORE_ROCKSDB_PROJECTION_STORE_H_
#define IRM_ENGINE_STORE_ROCKSDB_PROJECTION_STORE_H_

#include "engine/projection/projection_store.h"

namespace irm::store {

class LogDatabase;

class RocksDbProjectionStore final : public projection::ProjectionStore {
 public:
  // `database` must outlive the store.
  explicit RocksDbProjectionStore(LogDatabase* database) : database_(database) {}

  absl::StatusOr<std::optional<std::string>> Get(absl::string_view ns,
                                                 absl::string_view key) const override;
  absl::Status Scan(absl::string_view ns, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& visit)
      const override;
  absl::StatusOr<uint64_t> Checkpoint(absl::string_view ns) const override;
  absl::Status CommitAll(const std::vector<projection::NamespaceCommit>& parts) override;
  absl::Status Clear(absl::string_view ns) override;

 private:
  LogDatabase* const database_;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_ROCKSDB_PROJECTION_STORE_H_
