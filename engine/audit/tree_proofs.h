// Roots and proofs of the log's Merkle tree, read from its stored perfect-subtree nodes.
//
// The tree over leaves [0, size) is RFC 6962's: MTH of n > 1 leaves splits at k, the largest
// power of two below n. Every node of that shape is either a perfect subtree, stored by
// (level, index), or a right-edge subtree folded from stored perfect ones, so any root and
// proof for any size up to the stored size costs O(log^2 size) node reads at most.
//
// Proofs are RFC 6962 section 2.1.1 (PATH, inclusion) and 2.1.2 (PROOF, consistency), ordered
// from the leaves up, as RFC 9162's verifier (proof_verifier.h) consumes them.
// Thread-safe if the NodeSource is.
#ifndef IRM_ENGINE_AUDIT_TREE_PROOFS_H_
#define IRM_ENGINE_AUDIT_TREE_PROOFS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/audit/hash.h"

namespace irm::audit {

// Stored perfect-subtree nodes: (level, index) covers leaves [index << level, (index+1) << level).
class NodeSource {
 public:
  virtual ~NodeSource() = default;
  // The hash of node (level, index). NotFound if it is not stored; DataLoss if damaged.
  virtual absl::StatusOr<Hash> Node(uint32_t level, uint64_t index) const = 0;
};

// MTH of leaves [begin, end); end > begin. Errors from `nodes` pass through.
absl::StatusOr<Hash> RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end);

// The root of the tree of the first `size` leaves (EmptyTreeHash() for 0).
absl::StatusOr<Hash> RootAt(const NodeSource& nodes, uint64_t size);

// The audit path of leaf `index` in the tree of `size` leaves. InvalidArgument unless
// index < size.
absl::StatusOr<std::vector<Hash>> InclusionProof(const NodeSource& nodes, uint64_t index,
                                                 uint64_t size);

// The proof that the tree of `first` leaves is a prefix of the tree of `second` leaves.
// Empty if first == second or first == 0. InvalidArgument if first > second.
absl::StatusOr<std::vector<Hash>> ConsistencyProof(const NodeSource& nodes, uint64_t first,
                                                   uint64_t second);

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_TREE_PROOFS_H_
