#include "engine/store/tree_writer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/store/keys.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"

namespace irm::store {
namespace {

constexpr size_t kBackfillBatchLeaves = 20000;

absl::Status WriteSynced(LogDatabase* database, rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocksDb(database->Write(options, batch), "writing the log's Merkle tree");
}

}  // namespace

absl::StatusOr<uint64_t> StoredTreeSize(const LogDatabase& database) {
  // The last key is that of the last leaf (or a node completed with it).
  std::unique_ptr<rocksdb::Iterator> it(
      database.db()->NewIterator(rocksdb::ReadOptions(), database.merkle()));
  it->SeekToLast();
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the log's Merkle tree"));
  if (!it->Valid()) return 0;
  std::optional<uint64_t> last_leaf = DecodeBigEndian64(View(it->key()).substr(0, 8));
  if (it->key().size() != 9 || !last_leaf.has_value()) {
    return absl::DataLossError("the log's Merkle tree has a malformed key");
  }
  return *last_leaf + 1;
}

absl::StatusOr<std::unique_ptr<TreeWriter>> TreeWriter::Open(LogDatabase* database,
                                                             uint64_t head) {
  auto writer = std::unique_ptr<TreeWriter>(new TreeWriter(database));
  IRM_ASSIGN_OR_RETURN(uint64_t size, StoredTreeSize(*database));
  if (size > head) {
    return absl::DataLossError(absl::StrCat(
        "the log's Merkle tree has ", size, " leaves but the log holds only ", head,
        " events: events were removed from the data folder; check it with `irm verify --data`"));
  }
  std::vector<audit::Hash> roots;
  for (const audit::TreeNode& node : audit::Frontier::SubtreesOf(size)) {
    std::string value;
    rocksdb::Status s = database->db()->Get(rocksdb::ReadOptions(), database->merkle(),
                                            TreeNodeKey(node.level, node.index), &value);
    std::optional<audit::Hash> hash;
    if (s.ok()) hash = audit::HashFromBytes(value);
    if (!hash.has_value()) {
      return absl::DataLossError(absl::StrCat("the Merkle tree node (level ", node.level,
                                              ", index ", node.index,
                                              ") is missing or damaged"));
    }
    roots.push_back(*hash);
  }
  IRM_ASSIGN_OR_RETURN(writer->committed_,
                       audit::Frontier::FromSubtreeRoots(size, std::move(roots)));
  if (size < head) IRM_RETURN_IF_ERROR(writer->Backfill(head));
  return writer;
}

void TreeWriter::Add(audit::Frontier* staged, absl::string_view leaf_bytes,
                     rocksdb::WriteBatch* batch) const {
  staged->Append(audit::HashLeaf(leaf_bytes), [&](const audit::TreeNode& node) {
    batch->Put(database_->merkle(), TreeNodeKey(node.level, node.index),
               ToSlice(audit::AsBytes(node.hash)));
  });
}

absl::Status TreeWriter::Backfill(uint64_t head) {
  audit::Frontier staged = committed_;
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->events()));
  for (it->Seek(EncodeBigEndian64(staged.size() + 1)); it->Valid() && staged.size() < head;
       it->Next()) {
    std::optional<uint64_t> position = DecodeBigEndian64(View(it->key()));
    if (!position.has_value() || *position != staged.size() + 1) {
      return absl::DataLossError(absl::StrCat("the log has no event at position ",
                                              staged.size() + 1,
                                              ": cannot build its Merkle tree"));
    }
    Add(&staged, View(it->value()), &batch);
    if (staged.size() % kBackfillBatchLeaves == 0) {
      IRM_RETURN_IF_ERROR(WriteSynced(database_, &batch));
      batch.Clear();
      committed_ = staged;
    }
  }
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the log to build its Merkle tree"));
  if (staged.size() != head) {
    return absl::DataLossError(absl::StrCat("the log ends at position ", staged.size(),
                                            " but its head is ", head));
  }
  IRM_RETURN_IF_ERROR(WriteSynced(database_, &batch));
  committed_ = std::move(staged);
  return absl::OkStatus();
}

}  // namespace irm::store
