// Frontier: the compact range [0, size) of the tree, to grow it one leaf at a time.
//
// Holds one hash per set bit of `size`: the roots of the perfect subtrees that cover the
// leaves so far, largest (leftmost) first. Appending a leaf merges equal-sized subtrees, as
// binary addition carries; every node completed on the way is reported, so a store can keep
// all perfect-subtree nodes keyed by (level, index): node (l, i) covers leaves
// [i * 2^l, (i + 1) * 2^l). The root of the whole tree folds the frontier right to left.
//
// Appending costs one leaf hash plus one node hash per carry (amortized one). A value type:
// copy it to try appends that may be abandoned. Thread-compatible.
#ifndef IRM_ENGINE_AUDIT_FRONTIER_H_
#define IRM_ENGINE_AUDIT_FRONTIER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/audit/hash.h"

namespace irm::audit {

// One perfect-subtree node: level 0 is a leaf hash.
struct TreeNode {
  uint32_t level = 0;
  uint64_t index = 0;
  Hash hash{};
};

class Frontier {
 public:
  Frontier() = default;

  // The frontier of a tree of `size` leaves from the roots of its perfect subtrees, largest
  // first (one per set bit of size). InvalidArgument if their count does not match.
  static absl::StatusOr<Frontier> FromSubtreeRoots(uint64_t size, std::vector<Hash> roots);

  // The (level, index) of the perfect subtrees a frontier of `size` holds, largest first.
  static std::vector<TreeNode> SubtreesOf(uint64_t size);

  uint64_t size() const { return size_; }
  const std::vector<Hash>& subtree_roots() const { return roots_; }

  // Appends a leaf whose leaf hash is `leaf_hash`. Calls `on_node(node)` for the leaf and for
  // every perfect-subtree node the append completes, lowest level first.
  template <typename OnNode>
  void Append(const Hash& leaf_hash, OnNode&& on_node) {
    const uint64_t index = size_;
    Hash hash = leaf_hash;
    on_node(TreeNode{0, index, hash});
    uint32_t level = 0;
    // Each trailing 1 bit of the old size is a subtree of the same level to merge with.
    for (uint64_t bits = index; bits & 1; bits >>= 1) {
      hash = HashChildren(roots_.back(), hash);
      roots_.pop_back();
      ++level;
      on_node(TreeNode{level, index >> level, hash});
    }
    roots_.push_back(hash);
    ++size_;
  }
  void Append(const Hash& leaf_hash) {
    Append(leaf_hash, [](const TreeNode&) {});
  }

  // The RFC 6962 root of the tree so far (EmptyTreeHash() for size 0).
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> roots_;  // one per set bit of size_, largest subtree first
};

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_FRONTIER_H_
