// OfflineFolder: a stopped irmd's data folder opened for an audit (`irm verify --data`),
// exposing the raw stored bytes without RocksDB types. Opening takes RocksDB's lock, so it
// fails (FailedPrecondition) while irmd runs on the folder. Thread-compatible.
#ifndef IRM_ENGINE_STORE_OFFLINE_FOLDER_H_
#define IRM_ENGINE_STORE_OFFLINE_FOLDER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/audit/audit_store.h"

namespace irm::store {

class OfflineFolder {
 public:
  // NotFound if `dir` holds no RocksDB folder; the LogDatabase::Open errors otherwise.
  static absl::StatusOr<std::unique_ptr<OfflineFolder>> Open(const std::string& dir);
  ~OfflineFolder();

  // Leaves of the stored Merkle tree.
  uint64_t stored_tree_size() const { return stored_tree_size_; }
  // The stored tree, checkpoints and keys. TreeSize() is stored_tree_size().
  audit::AuditStore& store();

  // Calls `fn(position, bytes)` for every stored event in position order. DataLoss names
  // the first missing position. Stops at fn's first error and returns it.
  absl::Status ForEachEvent(
      const std::function<absl::Status(uint64_t, absl::string_view)>& fn) const;
  // Calls `fn(level, index, hash_bytes)` for every stored tree node. DataLoss on a
  // malformed key.
  absl::Status ForEachNode(
      const std::function<absl::Status(uint32_t, uint64_t, absl::string_view)>& fn) const;

 private:
  struct Impl;
  explicit OfflineFolder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  uint64_t stored_tree_size_ = 0;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_OFFLINE_FOLDER_H_
