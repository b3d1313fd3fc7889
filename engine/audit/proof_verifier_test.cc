// Adversarial tests of the verifier: every way of bending an honest proof must fail.
#include "engine/audit/proof_verifier.h"

#include <algorithm>
#include <random>

#include "engine/audit/memory_tree.h"
#include "engine/audit/reference_tree_test.h"
#include "engine/audit/tree_proofs.h"
#include "gtest/gtest.h"

namespace irm::audit {
namespace {

constexpr size_t kLeaves = 40;

class ProofVerifierTest : public ::testing::Test {
 protected:
  ProofVerifierTest() : leaves_(reference::MakeLeaves(kLeaves)) {
    for (const std::string& leaf : leaves_) tree_.AppendLeaf(leaf);
  }
  Hash Root(uint64_t size) const { return *RootAt(tree_, size); }
  Hash Leaf(uint64_t index) const { return HashLeaf(leaves_[index]); }

  // Every bent form of `proof`: truncated, extended, reordered, each element flipped, and
  // duplicated / swapped neighbours. Each must differ from `proof`.
  static std::vector<std::vector<Hash>> Bent(const std::vector<Hash>& proof) {
    std::vector<std::vector<Hash>> out;
    if (!proof.empty()) {
      out.emplace_back(proof.begin(), proof.end() - 1);  // last dropped
      out.emplace_back(proof.begin() + 1, proof.end());  // first dropped
    }
    std::vector<Hash> extended = proof;
    extended.push_back(HashLeaf("extra"));
    out.push_back(extended);
    if (!proof.empty()) {
      std::vector<Hash> doubled = proof;
      doubled.push_back(proof.back());
      out.push_back(doubled);
    }
    for (size_t i = 0; i < proof.size(); ++i) {
      std::vector<Hash> flipped = proof;
      flipped[i][i % kHashBytes] ^= 0x01;
      out.push_back(flipped);
      if (i + 1 < proof.size() && proof[i] != proof[i + 1]) {
        std::vector<Hash> swapped = proof;
        std::swap(swapped[i], swapped[i + 1]);
        out.push_back(swapped);
      }
    }
    if (proof.size() > 2) {
      std::vector<Hash> reversed(proof.rbegin(), proof.rend());
      if (reversed != proof) out.push_back(reversed);
    }
    return out;
  }

  reference::Leaves leaves_;
  MemoryTree tree_;
};

TEST_F(ProofVerifierTest, AcceptsHonestInclusionProofs) {
  for (uint64_t n = 1; n <= kLeaves; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      ASSERT_TRUE(VerifyInclusion(m, n, Leaf(m), *InclusionProof(tree_, m, n), Root(n)).ok());
    }
  }
}

TEST_F(ProofVerifierTest, RejectsBentInclusionProofs) {
  for (uint64_t n = 1; n <= kLeaves; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      const std::vector<Hash> proof = *InclusionProof(tree_, m, n);
      for (const std::vector<Hash>& bent : Bent(proof)) {
        ASSERT_FALSE(VerifyInclusion(m, n, Leaf(m), bent, Root(n)).ok())
            << "leaf " << m << " of " << n << " with a bent proof of " << bent.size();
      }
    }
  }
}

TEST_F(ProofVerifierTest, RejectsWrongLeafIndexSizeOrRoot) {
  for (uint64_t n = 2; n <= kLeaves; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      const std::vector<Hash> proof = *InclusionProof(tree_, m, n);
      // Another leaf's bytes, claimed at m.
      EXPECT_FALSE(VerifyInclusion(m, n, Leaf((m + 1) % n), proof, Root(n)).ok());
      // The right leaf claimed at another index.
      for (uint64_t other = 0; other < n; ++other) {
        if (other != m) EXPECT_FALSE(VerifyInclusion(other, n, Leaf(m), proof, Root(n)).ok());
      }
      // Another size, with that size's own root.
      for (uint64_t size = m + 1; size <= kLeaves; ++size) {
        if (size != n) EXPECT_FALSE(VerifyInclusion(m, size, Leaf(m), proof, Root(size)).ok());
      }
      EXPECT_FALSE(VerifyInclusion(m, n, Leaf(m), proof, Root(n - 1)).ok());
      // The index beyond the tree.
      EXPECT_FALSE(VerifyInclusion(n, n, Leaf(m), proof, Root(n)).ok());
      // The leaf's node hash passed as if it were leaf bytes' hash (no domain separation).
      EXPECT_FALSE(VerifyInclusion(m, n, Sha256(leaves_[m]), proof, Root(n)).ok());
    }
  }
}

TEST_F(ProofVerifierTest, InnerNodeCannotPassAsLeaf) {
  // Second-preimage attempt: present an inner node's two children, concatenated, as the
  // bytes of a leaf. The 0x00 / 0x01 prefixes make its leaf hash differ from the node.
  const uint64_t n = 8;
  const Hash left = *tree_.Node(0, 0);
  const Hash right = *tree_.Node(0, 1);
  const std::string forged_leaf = std::string(AsBytes(left)) + std::string(AsBytes(right));
  const std::vector<Hash> path_of_0 = *InclusionProof(tree_, 0, n);
  std::vector<Hash> shortened(path_of_0.begin() + 1, path_of_0.end());
  EXPECT_FALSE(VerifyInclusion(0, 4, HashLeaf(forged_leaf), shortened, Root(n)).ok());
  EXPECT_FALSE(VerifyInclusion(0, n, HashLeaf(forged_leaf), shortened, Root(n)).ok());
  EXPECT_FALSE(VerifyInclusion(0, n, HashLeaf(forged_leaf), path_of_0, Root(n)).ok());
}

TEST_F(ProofVerifierTest, RejectsBentConsistencyProofs) {
  for (uint64_t n = 2; n <= kLeaves; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      const std::vector<Hash> proof = *ConsistencyProof(tree_, m, n);
      ASSERT_TRUE(VerifyConsistency(m, n, Root(m), Root(n), proof).ok());
      for (const std::vector<Hash>& bent : Bent(proof)) {
        ASSERT_FALSE(VerifyConsistency(m, n, Root(m), Root(n), bent).ok())
            << m << " -> " << n << " with a bent proof of " << bent.size();
      }
      EXPECT_FALSE(VerifyConsistency(m, n, Root(m), Root(n), {}).ok());
    }
  }
}

TEST_F(ProofVerifierTest, RejectsConsistencyWithWrongSizesOrRoots) {
  for (uint64_t n = 2; n <= kLeaves; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      const std::vector<Hash> proof = *ConsistencyProof(tree_, m, n);
      EXPECT_FALSE(VerifyConsistency(n, m, Root(n), Root(m), proof).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, Root(n), Root(m), proof).ok());
      // The proof moved to other sizes, each claimed with its own honest root.
      for (uint64_t other = 1; other <= kLeaves; ++other) {
        if (other != m && other < n && *ConsistencyProof(tree_, other, n) != proof) {
          EXPECT_FALSE(VerifyConsistency(other, n, Root(other), Root(n), proof).ok())
              << "proof " << m << "->" << n << " passed as " << other << "->" << n;
        }
        if (other != n && other > m && *ConsistencyProof(tree_, m, other) != proof) {
          EXPECT_FALSE(VerifyConsistency(m, other, Root(m), Root(other), proof).ok())
              << "proof " << m << "->" << n << " passed as " << m << "->" << other;
        }
      }
    }
  }
}

// The class of bug immudb's client once had: a verifier that checks that the proof leads to
// the new root, but not that it also leads to the old one, accepts a history rewritten
// before the old checkpoint. Here a server rewrote leaves of the first m and hands the
// honest proof (which reconstructs the real new root) together with its forged old root,
// and also a proof built over the forged tree.
TEST_F(ProofVerifierTest, RejectsForgedHistoryThatOnlyMatchesTheNewRoot) {
  reference::Leaves forged_leaves = leaves_;
  forged_leaves[0] = "rewritten";
  MemoryTree forged;
  for (const std::string& leaf : forged_leaves) forged.AppendLeaf(leaf);
  for (uint64_t n = 2; n <= kLeaves; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      const Hash forged_old = *RootAt(forged, m);
      const Hash forged_new = *RootAt(forged, n);
      ASSERT_NE(forged_old, Root(m));
      // Honest proof, honest new root, forged old root.
      EXPECT_FALSE(VerifyConsistency(m, n, forged_old, Root(n), *ConsistencyProof(tree_, m, n)).ok());
      // Forged tree's own proof: leads from the forged old root to the forged new root only.
      const std::vector<Hash> forged_proof = *ConsistencyProof(forged, m, n);
      EXPECT_FALSE(VerifyConsistency(m, n, Root(m), forged_new, forged_proof).ok());
      // (When the proof never covers leaf 0 it is the honest proof, and rightly verifies.)
      if (forged_proof != *ConsistencyProof(tree_, m, n)) {
        EXPECT_FALSE(VerifyConsistency(m, n, Root(m), Root(n), forged_proof).ok());
      }
      EXPECT_FALSE(VerifyConsistency(m, n, forged_old, Root(n), forged_proof).ok());
    }
  }
  // A power-of-two old size, where the old root is the proof's implicit first element: a
  // server that sends it explicitly anyway (or sends nothing else) must not pass.
  const std::vector<Hash> proof = *ConsistencyProof(tree_, 8, 13);
  std::vector<Hash> with_root = proof;
  with_root.insert(with_root.begin(), Root(8));
  EXPECT_FALSE(VerifyConsistency(8, 13, Root(8), Root(13), with_root).ok());
  EXPECT_FALSE(VerifyConsistency(8, 13, Root(8), Root(13), {Root(8)}).ok());
  EXPECT_FALSE(VerifyConsistency(8, 8, Root(8), Root(8), {Root(8)}).ok());
}

TEST_F(ProofVerifierTest, EdgeCases) {
  EXPECT_TRUE(VerifyConsistency(5, 5, Root(5), Root(5), {}).ok());
  EXPECT_FALSE(VerifyConsistency(5, 5, Root(4), Root(5), {}).ok());
  EXPECT_TRUE(VerifyConsistency(0, 5, EmptyTreeHash(), Root(5), {}).ok());
  EXPECT_FALSE(VerifyConsistency(0, 5, Root(1), Root(5), {}).ok());
  EXPECT_FALSE(VerifyConsistency(0, 5, EmptyTreeHash(), Root(5), {Root(5)}).ok());
  EXPECT_FALSE(VerifyInclusion(0, 0, Leaf(0), {}, EmptyTreeHash()).ok());
  EXPECT_TRUE(VerifyInclusion(0, 1, Leaf(0), {}, Root(1)).ok());
  EXPECT_FALSE(VerifyInclusion(0, 1, Leaf(0), {Leaf(1)}, Root(1)).ok());
  EXPECT_EQ(VerifyInclusion(0, 2, Leaf(0), {}, Root(2)).code(), absl::StatusCode::kDataLoss);
}

TEST_F(ProofVerifierTest, RandomBitFlipsInLargeTreesAreCaught) {
  MemoryTree big;
  for (int i = 0; i < 3000; ++i) big.AppendLeaf("big-" + std::to_string(i));
  std::mt19937_64 rng(9162);
  for (int trial = 0; trial < 200; ++trial) {
    const uint64_t n = 2 + rng() % 2999;
    const uint64_t m = 1 + rng() % (n - 1);
    std::vector<Hash> proof = *ConsistencyProof(big, m, n);
    ASSERT_TRUE(VerifyConsistency(m, n, *RootAt(big, m), *RootAt(big, n), proof).ok());
    proof[rng() % proof.size()][rng() % kHashBytes] ^= static_cast<uint8_t>(1 + rng() % 255);
    ASSERT_FALSE(VerifyConsistency(m, n, *RootAt(big, m), *RootAt(big, n), proof).ok());
    std::vector<Hash> path = *InclusionProof(big, m, n);
    ASSERT_TRUE(VerifyInclusion(m, n, *big.Node(0, m), path, *RootAt(big, n)).ok());
    path[rng() % path.size()][rng() % kHashBytes] ^= 0x80;
    ASSERT_FALSE(VerifyInclusion(m, n, *big.Node(0, m), path, *RootAt(big, n)).ok());
  }
}

}  // namespace
}  // namespace irm::audit
