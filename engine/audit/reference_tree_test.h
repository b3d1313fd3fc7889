// A naive RFC 6962 reference, straight from the recursive definitions of section 2.1, over a
// vector of leaf bytes. For tests only: it shares no code with the tree it checks.
#ifndef IRM_ENGINE_AUDIT_REFERENCE_TREE_TEST_H_
#define IRM_ENGINE_AUDIT_REFERENCE_TREE_TEST_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/audit/hash.h"

namespace irm::audit::reference {

using Leaves = std::vector<std::string>;

inline Leaves Slice(const Leaves& d, size_t begin, size_t end) {
  return Leaves(d.begin() + begin, d.begin() + end);
}

inline size_t K(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH(D[n]).
inline Hash Mth(const Leaves& d) {
  if (d.empty()) return Sha256("");
  if (d.size() == 1) {
    return Sha256(absl::StrCat(std::string(1, '\0'), d[0]));
  }
  const size_t k = K(d.size());
  const Hash left = Mth(Slice(d, 0, k));
  const Hash right = Mth(Slice(d, k, d.size()));
  return Sha256(absl::StrCat(std::string(1, '\1'), AsBytes(left), AsBytes(right)));
}

// PATH(m, D[n]).
inline std::vector<Hash> Path(size_t m, const Leaves& d) {
  if (d.size() <= 1) return {};
  const size_t k = K(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = Path(m, Slice(d, 0, k));
    out.push_back(Mth(Slice(d, k, d.size())));
  } else {
    out = Path(m - k, Slice(d, k, d.size()));
    out.push_back(Mth(Slice(d, 0, k)));
  }
  return out;
}

// SUBPROOF(m, D[n], b).
inline std::vector<Hash> SubProof(size_t m, const Leaves& d, bool b) {
  if (m == d.size()) {
    if (b) return {};
    return {Mth(d)};
  }
  const size_t k = K(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = SubProof(m, Slice(d, 0, k), b);
    out.push_back(Mth(Slice(d, k, d.size())));
  } else {
    out = SubProof(m - k, Slice(d, k, d.size()), false);
    out.push_back(Mth(Slice(d, 0, k)));
  }
  return out;
}

inline std::vector<Hash> Proof(size_t m, const Leaves& d) { return SubProof(m, d, true); }

inline Leaves MakeLeaves(size_t n, const std::string& tag = "event") {
  Leaves d;
  for (size_t i = 0; i < n; ++i) d.push_back(absl::StrCat(tag, "-", i));
  return d;
}

}  // namespace irm::audit::reference

#endif  // IRM_ENGINE_AUDIT_REFERENCE_TREE_TEST_H_
