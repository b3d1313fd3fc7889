// MemoryTree: a whole Merkle tree held in memory, grown leaf by leaf, keeping every
// perfect-subtree node. Used to recompute a log's tree independently of the server (the CLI's
// verifier) and as the reference store in tests. 64 bytes per leaf. Thread-compatible.
#ifndef IRM_ENGINE_AUDIT_MEMORY_TREE_H_
#define IRM_ENGINE_AUDIT_MEMORY_TREE_H_

#include <vector>

#include "engine/audit/frontier.h"
#include "engine/audit/tree_proofs.h"

namespace irm::audit {

class MemoryTree final : public NodeSource {
 public:
  // Appends a leaf given its bytes, or its leaf hash.
  void AppendLeaf(absl::string_view leaf_bytes) { AppendLeafHash(HashLeaf(leaf_bytes)); }
  void AppendLeafHash(const Hash& leaf_hash) {
    frontier_.Append(leaf_hash, [this](const TreeNode& node) {
      if (levels_.size() <= node.level) levels_.resize(node.level + 1);
      levels_[node.level].push_back(node.hash);
    });
  }

  uint64_t size() const { return frontier_.size(); }
  Hash Root() const { return frontier_.Root(); }
  const Frontier& frontier() const { return frontier_; }

  absl::StatusOr<Hash> Node(uint32_t level, uint64_t index) const override {
    if (level >= levels_.size() || index >= levels_[level].size()) {
      return absl::NotFoundError("no such node in the tree");
    }
    return levels_[level][index];
  }

 private:
  Frontier frontier_;
  std::vector<std::vector<Hash>> levels_;  // levels_[l][i]: node (l, i)
};

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_MEMORY_TREE_H_
