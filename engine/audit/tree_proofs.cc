#include "engine/audit/tree_proofs.h"

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"

namespace irm::audit {
namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k < n - k) k <<= 1;  // stops at the largest k < n (k << 1 >= n)
  return k;
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

uint32_t Log2(uint64_t n) {
  uint32_t level = 0;
  while ((uint64_t{1} << level) < n) ++level;
  return level;
}

// RFC 6962 PATH(m, D[begin:end]) appended to `out`, leaves first.
absl::Status Path(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t end,
                  std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (n <= 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(n);
  if (m < k) {
    IRM_RETURN_IF_ERROR(Path(nodes, m, begin, begin + k, out));
    IRM_ASSIGN_OR_RETURN(Hash right, RangeHash(nodes, begin + k, end));
    out->push_back(right);
  } else {
    IRM_RETURN_IF_ERROR(Path(nodes, m - k, begin + k, end, out));
    IRM_ASSIGN_OR_RETURN(Hash left, RangeHash(nodes, begin, begin + k));
    out->push_back(left);
  }
  return absl::OkStatus();
}

// RFC 6962 SUBPROOF(m, D[begin:end], whole) appended to `out`.
absl::Status SubProof(const NodeSource& nodes, uint64_t m, uint64_t begin, uint64_t end,
                      bool whole, std::vector<Hash>* out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (whole) return absl::OkStatus();
    IRM_ASSIGN_OR_RETURN(Hash hash, RangeHash(nodes, begin, end));
    out->push_back(hash);
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    IRM_RETURN_IF_ERROR(SubProof(nodes, m, begin, begin + k, whole, out));
    IRM_ASSIGN_OR_RETURN(Hash right, RangeHash(nodes, begin + k, end));
    out->push_back(right);
  } else {
    IRM_RETURN_IF_ERROR(SubProof(nodes, m - k, begin + k, end, false, out));
    IRM_ASSIGN_OR_RETURN(Hash left, RangeHash(nodes, begin, begin + k));
    out->push_back(left);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Hash> RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end) {
  if (end <= begin) {
    return absl::InvalidArgumentError(
        absl::StrCat("an empty leaf range [", begin, ", ", end, ") has no subtree hash"));
  }
  const uint64_t n = end - begin;
  if (IsPowerOfTwo(n) && begin % n == 0) return nodes.Node(Log2(n), begin / n);
  const uint64_t k = SplitPoint(n);
  IRM_ASSIGN_OR_RETURN(Hash left, RangeHash(nodes, begin, begin + k));
  IRM_ASSIGN_OR_RETURN(Hash right, RangeHash(nodes, begin + k, end));
  return HashChildren(left, right);
}

absl::StatusOr<Hash> RootAt(const NodeSource& nodes, uint64_t size) {
  if (size == 0) return EmptyTreeHash();
  return RangeHash(nodes, 0, size);
}

absl::StatusOr<std::vector<Hash>> InclusionProof(const NodeSource& nodes, uint64_t index,
                                                 uint64_t size) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat("leaf index ", index,
                                                   " is not in a tree of ", size,
                                                   " leaves; it must be below the size"));
  }
  std::vector<Hash> proof;
  IRM_RETURN_IF_ERROR(Path(nodes, index, 0, size, &proof));
  return proof;
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(const NodeSource& nodes, uint64_t first,
                                                   uint64_t second) {
  if (first > second) {
    return absl::InvalidArgumentError(absl::StrCat("a tree of ", first,
                                                   " leaves cannot be a prefix of one of ",
                                                   second, "; give the smaller size first"));
  }
  std::vector<Hash> proof;
  if (first == 0 || first == second) return proof;
  IRM_RETURN_IF_ERROR(SubProof(nodes, first, 0, second, true, &proof));
  return proof;
}

}  // namespace irm::audit
