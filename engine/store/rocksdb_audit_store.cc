#include "engine/store/rocksdb_audit_store.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/store/keys.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"
#include "rocksdb/write_batch.h"

namespace irm::store {
namespace {

absl::Status WriteSynced(LogDatabase* database, rocksdb::ColumnFamilyHandle* family,
                         const std::string& key, const std::string& value, const char* what) {
  rocksdb::WriteOptions options;
  options.sync = true;
  rocksdb::WriteBatch batch;
  batch.Put(family, key, value);
  return FromRocksDb(database->Write(options, &batch), what);
}

}  // namespace

absl::StatusOr<audit::Hash> RocksDbAuditStore::Node(uint32_t level, uint64_t index) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->merkle(),
                                           TreeNodeKey(level, index), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("the Merkle tree has no node (level ", level, ", index ", index, ")"));
  }
  IRM_RETURN_IF_ERROR(FromRocksDb(s, "reading the log's Merkle tree"));
  std::optional<audit::Hash> hash = audit::HashFromBytes(value);
  if (!hash.has_value()) {
    return absl::DataLossError(absl::StrCat("the Merkle tree node (level ", level, ", index ",
                                            index, ") is not 32 bytes"));
  }
  return *hash;
}

absl::StatusOr<std::vector<std::string>> RocksDbAuditStore::ReadLeaves(uint64_t first_index,
                                                                       size_t count,
                                                                       size_t max_bytes) const {
  const uint64_t size = TreeSize();
  std::vector<std::string> leaves;
  if (first_index >= size || count == 0) return leaves;
  const uint64_t end = std::min<uint64_t>(size, first_index + count);
  const std::string upper = EncodeBigEndian64(end + 1);  // positions are indexes + 1
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(database_->db()->NewIterator(options, database_->events()));
  size_t bytes = 0;
  uint64_t expected = first_index + 1;
  for (it->Seek(EncodeBigEndian64(expected)); it->Valid(); it->Next(), ++expected) {
    if (DecodeBigEndian64(View(it->key())) != expected) {
      return absl::DataLossError(absl::StrCat("the log has no event at position ", expected,
                                              ": the data folder is damaged"));
    }
    if (!leaves.empty() && bytes + it->value().size() > max_bytes) return leaves;
    bytes += it->value().size();
    leaves.emplace_back(it->value().data(), it->value().size());
  }
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the log's events"));
  if (expected != end + 1) {
    return absl::DataLossError(absl::StrCat("the log has no event at position ", expected,
                                            ": the data folder is damaged"));
  }
  return leaves;
}

absl::Status RocksDbAuditStore::PutCheckpoint(const audit::Checkpoint& checkpoint) {
  IRM_ASSIGN_OR_RETURN(std::optional<audit::Checkpoint> existing, CheckpointAt(checkpoint.size));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(
        absl::StrCat("a checkpoint of size ", checkpoint.size, " is already stored"));
  }
  return WriteSynced(database_, database_->checkpoints(), CheckpointKey(checkpoint.size),
                     audit::EncodeStoredCheckpoint(checkpoint), "storing a checkpoint");
}

absl::StatusOr<std::optional<audit::Checkpoint>> RocksDbAuditStore::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->checkpoints()));
  it->SeekForPrev(CheckpointKey(UINT64_MAX));
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading checkpoints"));
  if (!it->Valid() || !it->key().starts_with("c")) return std::optional<audit::Checkpoint>();
  IRM_ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                       audit::DecodeStoredCheckpoint(View(it->value())));
  return std::optional<audit::Checkpoint>(std::move(checkpoint));
}

absl::StatusOr<std::optional<audit::Checkpoint>> RocksDbAuditStore::CheckpointAt(
    uint64_t size) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->checkpoints(),
                                           CheckpointKey(size), &value);
  if (s.IsNotFound()) return std::optional<audit::Checkpoint>();
  IRM_RETURN_IF_ERROR(FromRocksDb(s, "reading a checkpoint"));
  IRM_ASSIGN_OR_RETURN(audit::Checkpoint checkpoint, audit::DecodeStoredCheckpoint(value));
  if (checkpoint.size != size) {
    return absl::DataLossError(absl::StrCat("the checkpoint stored under size ", size,
                                            " says it is of size ", checkpoint.size));
  }
  return std::optional<audit::Checkpoint>(std::move(checkpoint));
}

absl::StatusOr<std::vector<audit::Checkpoint>> RocksDbAuditStore::ListCheckpoints(
    uint64_t from_size, size_t max_count) const {
  std::vector<audit::Checkpoint> out;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->checkpoints()));
  for (it->Seek(CheckpointKey(from_size));
       it->Valid() && it->key().starts_with("c") && out.size() < max_count; it->Next()) {
    IRM_ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                         audit::DecodeStoredCheckpoint(View(it->value())));
    out.push_back(std::move(checkpoint));
  }
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading checkpoints"));
  return out;
}

absl::Status RocksDbAuditStore::PutPublicKey(const std::string& key_id, const std::string& pem) {
  return WriteSynced(database_, database_->checkpoints(), PublicKeyKey(key_id), pem,
                     "storing the signing key's public half");
}

absl::StatusOr<std::optional<std::string>> RocksDbAuditStore::PublicKey(
    const std::string& key_id) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->checkpoints(),
                                           PublicKeyKey(key_id), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  IRM_RETURN_IF_ERROR(FromRocksDb(s, "reading a public key"));
  return std::optional<std::string>(std::move(value));
}

}  // namespace irm::store
