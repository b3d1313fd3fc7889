// TreeWriter: grows the log's Merkle tree (engine/audit) inside the log's own writes.
//
// The AppendWriter hands every event's stored bytes to Add() as it puts them in the group's
// WriteBatch; Add() hashes them as the next leaf and puts the leaf hash and every perfect
// subtree node the leaf completes into the same batch (merkle family, TreeNodeKey). So the
// tree's nodes are durable exactly when the events are, and the tree of any size up to the
// head can be read back. A group works on a copy of the committed frontier (Stage) and
// publishes it only after its write succeeded (Publish), so a failed write leaves no trace.
//
// Open() loads the frontier of the stored tree and, for a folder written before the tree
// existed (or whose tree is behind its events), hashes the missing events from the stored
// bytes and writes their nodes. Cost per event: one SHA-256 of its bytes plus on average one
// node hash, and on average two 40-byte puts.
//
// Not thread-safe: Stage/Add/Publish/size are called by the log's committer only (the
// AppendWriter runs one commit at a time, on whichever thread leads it; its mutex orders one
// commit's Publish before the next commit's Stage).
#ifndef IRM_ENGINE_STORE_TREE_WRITER_H_
#define IRM_ENGINE_STORE_TREE_WRITER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "engine/audit/frontier.h"
#include "engine/store/log_database.h"
#include "rocksdb/write_batch.h"

namespace irm::store {

class TreeWriter {
 public:
  // Loads the tree and extends it to `head` (the last stored event). DataLoss if the stored
  // tree has more leaves than the log has events, or its frontier nodes are missing.
  static absl::StatusOr<std::unique_ptr<TreeWriter>> Open(LogDatabase* database, uint64_t head);

  // A copy of the committed frontier for one commit group to extend.
  audit::Frontier Stage() const { return committed_; }

  // Appends `leaf_bytes` to `staged` and puts the new nodes into `batch`.
  void Add(audit::Frontier* staged, absl::string_view leaf_bytes, rocksdb::WriteBatch* batch) const;

  // Makes `staged` the committed tree. Call only after its batch is durable.
  void Publish(audit::Frontier staged) { committed_ = std::move(staged); }

  uint64_t size() const { return committed_.size(); }

 private:
  explicit TreeWriter(LogDatabase* database) : database_(database) {}
  absl::Status Backfill(uint64_t head);

  LogDatabase* const database_;
  audit::Frontier committed_;
};

// The number of leaves of the tree stored in `database` (its last leaf index + 1).
absl::StatusOr<uint64_t> StoredTreeSize(const LogDatabase& database);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_TREE_WRITER_H_
