// Verification of inclusion and consistency proofs, as RFC 9162 sections 2.1.3.2 and
// 2.1.4.2 specify. The verifier trusts nothing but its inputs: the roots it is given (from
// signed checkpoints or its own computation) and the leaf hash it computed itself. Every
// element of a proof must be used exactly once; extra, missing, reordered or altered
// elements, or a size or index that does not match the proof, fail.
//
// Pure functions; thread-safe. Failures are DataLoss with a message saying what did not hold
// (a proof that does not verify means the log or the server is not telling the truth).
#ifndef IRM_ENGINE_AUDIT_PROOF_VERIFIER_H_
#define IRM_ENGINE_AUDIT_PROOF_VERIFIER_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "engine/audit/hash.h"

namespace irm::audit {

// OK iff `proof` shows that the leaf with leaf hash `leaf_hash` is at `index` in the tree of
// `size` leaves whose root is `root`.
absl::Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                             const std::vector<Hash>& proof, const Hash& root);

// OK iff `proof` shows that the tree of `first` leaves with root `first_root` is a prefix of
// the tree of `second` leaves with root `second_root`. For first == second the proof must be
// empty and the roots equal; for first == 0 the proof must be empty and `first_root` the
// empty-tree hash.
absl::Status VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                               const Hash& second_root, const std::vector<Hash>& proof);

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_PROOF_VERIFIER_H_
