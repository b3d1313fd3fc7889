#include "engine/audit/tree_proofs.h"

#include <random>

#include "engine/audit/frontier.h"
#include "engine/audit/memory_tree.h"
#include "engine/audit/proof_verifier.h"
#include "engine/audit/reference_tree_test.h"
#include "gtest/gtest.h"

namespace irm::audit {
namespace {

MemoryTree TreeOf(const reference::Leaves& leaves) {
  MemoryTree tree;
  for (const std::string& leaf : leaves) tree.AppendLeaf(leaf);
  return tree;
}

TEST(HashTest, KnownAnswers) {
  // SHA-256 of the empty string, and RFC 6962's leaf and node prefixes.
  EXPECT_EQ(ToHex(EmptyTreeHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(HashLeaf("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(HashLeaf("abc"), Sha256(std::string("\0abc", 4)));
  const Hash a = HashLeaf("a");
  const Hash b = HashLeaf("b");
  EXPECT_EQ(HashChildren(a, b),
            Sha256(std::string("\1", 1) + std::string(AsBytes(a)) + std::string(AsBytes(b))));
  EXPECT_NE(HashChildren(a, b), HashChildren(b, a));
}

TEST(HashTest, TextFormsRoundTripAndRejectJunk) {
  const Hash h = HashLeaf("x");
  EXPECT_EQ(HashFromHex(ToHex(h)), h);
  EXPECT_EQ(HashFromBase64(ToBase64(h)), h);
  EXPECT_EQ(HashFromHex("abc"), std::nullopt);
  EXPECT_EQ(HashFromHex(std::string(64, 'g')), std::nullopt);
  EXPECT_EQ(HashFromBase64("AAAA"), std::nullopt);
}

TEST(FrontierTest, RootMatchesReferenceForEverySizeUpTo70) {
  const reference::Leaves all = reference::MakeLeaves(70);
  Frontier frontier;
  EXPECT_EQ(frontier.Root(), reference::Mth({}));
  for (size_t n = 1; n <= all.size(); ++n) {
    frontier.Append(HashLeaf(all[n - 1]));
    ASSERT_EQ(frontier.Root(), reference::Mth(reference::Slice(all, 0, n))) << "size " << n;
  }
}

TEST(FrontierTest, ReportsEveryPerfectNodeOnce) {
  Frontier frontier;
  std::vector<TreeNode> nodes;
  for (int i = 0; i < 8; ++i) {
    frontier.Append(HashLeaf(std::to_string(i)), [&](const TreeNode& n) { nodes.push_back(n); });
  }
  // 8 leaves, 4 + 2 + 1 inner nodes.
  ASSERT_EQ(nodes.size(), 15u);
  EXPECT_EQ(nodes.back().level, 3u);
  EXPECT_EQ(nodes.back().index, 0u);
  EXPECT_EQ(nodes.back().hash, frontier.Root());
}

TEST(FrontierTest, RebuildsFromSubtreeRoots) {
  MemoryTree tree = TreeOf(reference::MakeLeaves(13));
  std::vector<Hash> roots;
  for (const TreeNode& node : Frontier::SubtreesOf(13)) {
    roots.push_back(*tree.Node(node.level, node.index));
  }
  absl::StatusOr<Frontier> rebuilt = Frontier::FromSubtreeRoots(13, roots);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->Root(), tree.Root());
  rebuilt->Append(HashLeaf("next"));
  tree.AppendLeaf("next");
  EXPECT_EQ(rebuilt->Root(), tree.Root());
  EXPECT_FALSE(Frontier::FromSubtreeRoots(12, roots).ok());
}

TEST(TreeProofsTest, RootsAndProofsMatchReferenceForAllSmallSizes) {
  const reference::Leaves all = reference::MakeLeaves(33);
  const MemoryTree tree = TreeOf(all);
  for (size_t n = 0; n <= all.size(); ++n) {
    const reference::Leaves d = reference::Slice(all, 0, n);
    const Hash root = reference::Mth(d);
    ASSERT_EQ(*RootAt(tree, n), root) << "size " << n;
    for (size_t m = 0; m < n; ++m) {
      absl::StatusOr<std::vector<Hash>> path = InclusionProof(tree, m, n);
      ASSERT_TRUE(path.ok()) << path.status();
      ASSERT_EQ(*path, reference::Path(m, d)) << "leaf " << m << " of " << n;
      ASSERT_TRUE(VerifyInclusion(m, n, HashLeaf(all[m]), *path, root).ok());
    }
    for (size_t m = 1; m <= n; ++m) {
      absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(tree, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status();
      if (m < n) ASSERT_EQ(*proof, reference::Proof(m, d)) << m << " -> " << n;
      const Hash first_root = reference::Mth(reference::Slice(all, 0, m));
      ASSERT_TRUE(VerifyConsistency(m, n, first_root, root, *proof).ok()) << m << " -> " << n;
    }
  }
}

TEST(TreeProofsTest, RandomLargeSizesMatchReference) {
  std::mt19937_64 rng(6962);
  const reference::Leaves all = reference::MakeLeaves(1500, "r");
  const MemoryTree tree = TreeOf(all);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n = 1 + rng() % all.size();
    const size_t m = rng() % n;
    const size_t first = 1 + rng() % n;
    const reference::Leaves d = reference::Slice(all, 0, n);
    const Hash root = *RootAt(tree, n);
    ASSERT_EQ(root, reference::Mth(d));
    ASSERT_EQ(*InclusionProof(tree, m, n), reference::Path(m, d));
    const std::vector<Hash> proof = *ConsistencyProof(tree, first, n);
    if (first < n) ASSERT_EQ(proof, reference::Proof(first, d));
    ASSERT_TRUE(VerifyConsistency(first, n, *RootAt(tree, first), root, proof).ok());
  }
}

// The worked example of docs/audit.md; the expected hashes were computed independently with
// Python's hashlib.
TEST(TreeProofsTest, WorkedExampleOfTheAuditorsGuide) {
  MemoryTree tree;
  for (const char* leaf : {"event one", "event two", "event three"}) tree.AppendLeaf(leaf);
  EXPECT_EQ(ToHex(*tree.Node(0, 0)),
            "d9b01bf8f6194e7dfbccc93470a107752c42914dfe31b1a3b2660a8b611ac536");
  EXPECT_EQ(ToHex(*tree.Node(0, 1)),
            "dc64f2cbd6270fb7de2dba255250edf6c522db48987bb34feccd6db9a85a54bd");
  EXPECT_EQ(ToHex(*tree.Node(0, 2)),
            "81199c7ad1c1ab626677587dc572d3cf95328bfadedf4bbe9135691e7f477822");
  EXPECT_EQ(ToHex(*tree.Node(1, 0)),
            "e59148510a1298152ff5797fbfe8b3e42836caf392a08e0dd23aafe8c9cde38b");
  EXPECT_EQ(ToHex(tree.Root()), "1a8b72b201a65247d59c1592f0fc40ec14b7c21a7c244198fadd6f06ff010972");
  EXPECT_EQ(ToBase64(tree.Root()), "GotysgGmUkfVnBWS8PxA7BS3whp8JEGY+t1vBv8BCXI=");
  EXPECT_EQ(*InclusionProof(tree, 1, 3), (std::vector<Hash>{*tree.Node(0, 0), *tree.Node(0, 2)}));
  EXPECT_EQ(*ConsistencyProof(tree, 2, 3), (std::vector<Hash>{*tree.Node(0, 2)}));
}

TEST(TreeProofsTest, RejectsBadRequests) {
  const MemoryTree tree = TreeOf(reference::MakeLeaves(5));
  EXPECT_EQ(InclusionProof(tree, 5, 5).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 4, 3).status().code(), absl::StatusCode::kInvalidArgument);
  // A size beyond what is stored cannot be proved.
  EXPECT_EQ(RootAt(tree, 6).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace irm::audit
