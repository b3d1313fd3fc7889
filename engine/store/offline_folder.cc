#include "engine/store/offline_folder.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "engine/store/rocksdb_audit_store.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"
#include "engine/store/tree_writer.h"

namespace irm::store {

struct OfflineFolder::Impl {
  std::unique_ptr<LogDatabase> database;
  std::unique_ptr<RocksDbAuditStore> store;
};

OfflineFolder::OfflineFolder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OfflineFolder::~OfflineFolder() = default;

absl::StatusOr<std::unique_ptr<OfflineFolder>> OfflineFolder::Open(const std::string& dir) {
  if (!std::filesystem::exists(std::filesystem::path(dir) / "CURRENT")) {
    return absl::NotFoundError(
        absl::StrCat(dir, " is not an irm data folder (it has no RocksDB CURRENT file)"));
  }
  auto impl = std::make_unique<Impl>();
  IRM_ASSIGN_OR_RETURN(impl->database, LogDatabase::Open(dir));
  IRM_ASSIGN_OR_RETURN(uint64_t size, StoredTreeSize(*impl->database));
  impl->store = std::make_unique<RocksDbAuditStore>(impl->database.get(), [size] { return size; });
  auto folder = std::unique_ptr<OfflineFolder>(new OfflineFolder(std::move(impl)));
  folder->stored_tree_size_ = size;
  return folder;
}

audit::AuditStore& OfflineFolder::store() { return *impl_->store; }

absl::Status OfflineFolder::ForEachEvent(
    const std::function<absl::Status(uint64_t, absl::string_view)>& fn) const {
  const LogDatabase& db = *impl_->database;
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.events()));
  uint64_t expected = 1;
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    if (DecodeBigEndian64(View(it->key())) != expected) {
      return absl::DataLossError(absl::StrCat("position ", expected, ": no event is stored there"));
    }
    IRM_RETURN_IF_ERROR(fn(expected, View(it->value())));
  }
  return FromRocksDb(it->status(), "reading the stored events");
}

absl::Status OfflineFolder::ForEachNode(
    const std::function<absl::Status(uint32_t, uint64_t, absl::string_view)>& fn) const {
  const LogDatabase& db = *impl_->database;
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.merkle()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::optional<std::pair<uint32_t, uint64_t>> node = DecodeTreeNodeKey(View(it->key()));
    if (!node.has_value()) {
      return absl::DataLossError("the stored Merkle tree has a malformed key");
    }
    IRM_RETURN_IF_ERROR(fn(node->first, node->second, View(it->value())));
  }
  return FromRocksDb(it->status(), "reading the stored Merkle tree");
}

}  // namespace irm::store
