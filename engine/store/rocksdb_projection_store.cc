#include "engine/store/rocksdb_projection_store.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"
#include "rocksdb/write_batch.h"

namespace irm::store {
namespace {

std::string NamespacePrefix(absl::string_view ns) { return absl::StrCat(ns, std::string(1, '\0')); }
std::string CheckpointKey(absl::string_view ns) { return absl::StrCat(NamespacePrefix(ns), "c"); }
std::string StateKey(absl::string_view ns, absl::string_view key) {
  return absl::StrCat(NamespacePrefix(ns), "s", key);
}

}  // namespace

absl::StatusOr<std::optional<std::string>> RocksDbProjectionStore::Get(
    absl::string_view ns, absl::string_view key) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->projections(),
                                           StateKey(ns, key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksDb(s, absl::StrCat("reading projection ", ns));
  return std::optional<std::string>(std::move(value));
}

absl::Status RocksDbProjectionStore::Scan(
    absl::string_view ns, absl::string_view prefix,
    const std::function<bool(absl::string_view, absl::string_view)>& visit) const {
  const std::string full_prefix = StateKey(ns, prefix);
  const size_t strip = StateKey(ns, "").size();
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db()->NewIterator(rocksdb::ReadOptions(), database_->projections()));
  for (it->Seek(full_prefix); it->Valid() && it->key().starts_with(full_prefix); it->Next()) {
    if (!visit(View(it->key()).substr(strip), View(it->value()))) break;
  }
  return FromRocksDb(it->status(), absl::StrCat("scanning projection ", ns));
}

absl::StatusOr<uint64_t> RocksDbProjectionStore::Checkpoint(absl::string_view ns) const {
  std::string value;
  rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->projections(),
                                           CheckpointKey(ns), &value);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return FromRocksDb(s, absl::StrCat("reading the checkpoint of projection ", ns));
  std::optional<uint64_t> checkpoint = DecodeBigEndian64(value);
  if (!checkpoint) return absl::DataLossError(absl::StrCat("projection ", ns, " has a malformed checkpoint"));
  return *checkpoint;
}

absl::Status RocksDbProjectionStore::CommitAll(
    const std::vector<projection::NamespaceCommit>& parts) {
  rocksdb::WriteBatch batch;
  std::vector<absl::string_view> names;
  for (const projection::NamespaceCommit& part : parts) {
    for (const auto& [key, value] : part.changes) {
      if (value.has_value()) {
        batch.Put(database_->projections(), StateKey(part.ns, key), *value);
      } else {
        batch.Delete(database_->projections(), StateKey(part.ns, key));
      }
    }
    batch.Put(database_->projections(), CheckpointKey(part.ns), EncodeBigEndian64(part.checkpoint));
    names.push_back(part.ns);
  }
  // Not synced: a lost tail is recomputed from the log, and the WAL keeps state and
  // checkpoints together.
  return FromRocksDb(database_->Write(rocksdb::WriteOptions(), &batch),
                     absl::StrCat("committing projection ", absl::StrJoin(names, ", ")));
}

absl::Status RocksDbProjectionStore::Clear(absl::string_view ns) {
  const std::string begin = NamespacePrefix(ns);
  const std::string end = absl::StrCat(ns, std::string(1, '\1'));
  rocksdb::WriteBatch batch;
  batch.DeleteRange(database_->projections(), begin, end);
  return FromRocksDb(database_->Write(rocksdb::WriteOptions(), &batch),
                     absl::StrCat("clearing projection ", ns));
}

}  // namespace irm::store
