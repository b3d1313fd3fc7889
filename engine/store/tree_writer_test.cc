// The Merkle tree grown inside the log's writes: the stored tree is the tree of the stored
// bytes, survives reopening, is rebuilt for folders written without it, and checkpoints
// are signed and stored over it.
#include "engine/store/tree_writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "engine/audit/checkpointer.h"
#include "engine/audit/memory_tree.h"
#include "engine/audit/proof_verifier.h"
#include "engine/store/keys.h"
#include "engine/store/open_log_test_fixture.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"

namespace irm::store {
namespace {

class TreeWriterTest : public OpenLogTest {
 protected:
  TreeWriterTest() : OpenLogTest("irm_tree") {}

  // Appends `count` events, in appends of up to three to a few streams.
  void AppendEvents(int count) {
    for (int i = 0; i < count;) {
      log::AppendRequest request;
      request.stream = absl::StrCat("s-", i % 5);
      for (int j = 0; j < 3 && i < count; ++j, ++i) {
        log::ProposedEvent event;
        event.type = "Noted";
        event.data = absl::StrCat("{\"n\":", i, "}");
        request.events.push_back(event);
      }
      ASSERT_TRUE(log_->Append(request).ok());
    }
  }
  // The tree recomputed from the events' canonical encoding, independently of the store.
  audit::MemoryTree Recompute() {
    audit::MemoryTree tree;
    auto events = log_->ReadAll(log::ReadAllOptions{std::nullopt, log::Direction::kForward, 100000});
    EXPECT_TRUE(events.ok());
    for (const log::EventRecord& e : *events) tree.AppendLeaf(EncodeRecord(e));
    return tree;
  }
};

TEST(TreeNodeKeyTest, RoundTripsAndSortsInWriteOrder) {
  audit::Frontier frontier;
  std::string previous;
  for (int i = 0; i < 100; ++i) {
    frontier.Append(audit::HashLeaf(std::to_string(i)), [&](const audit::TreeNode& node) {
      const std::string key = TreeNodeKey(node.level, node.index);
      EXPECT_GT(key, previous);
      previous = key;
      auto decoded = DecodeTreeNodeKey(key);
      ASSERT_TRUE(decoded.has_value());
      EXPECT_EQ(decoded->first, node.level);
      EXPECT_EQ(decoded->second, node.index);
    });
  }
  EXPECT_FALSE(DecodeTreeNodeKey(EncodeBigEndian64(4) + std::string(1, '\1')).has_value());
  EXPECT_FALSE(DecodeTreeNodeKey("short").has_value());
}

TEST_F(TreeWriterTest, StoredTreeIsTheTreeOfTheStoredBytes) {
  AppendEvents(37);
  audit::AuditStore* store = log_->audit_store();
  ASSERT_EQ(store->TreeSize(), 37u);
  audit::MemoryTree expected = Recompute();
  for (uint64_t size = 0; size <= 37; ++size) {
    ASSERT_EQ(*audit::RootAt(*store, size), *audit::RootAt(expected, size)) << size;
  }
  auto leaves = store->ReadLeaves(0, 1000, 1 << 20);
  ASSERT_TRUE(leaves.ok());
  ASSERT_EQ(leaves->size(), 37u);
  audit::MemoryTree from_leaves;
  for (const std::string& leaf : *leaves) from_leaves.AppendLeaf(leaf);
  EXPECT_EQ(from_leaves.Root(), expected.Root());
  // Proofs served from the store verify against the independently computed roots.
  for (uint64_t i = 0; i < 37; i += 5) {
    auto proof = audit::InclusionProof(*store, i, 37);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(audit::VerifyInclusion(i, 37, audit::HashLeaf((*leaves)[i]), *proof,
                                       expected.Root())
                    .ok());
  }
  auto consistency = audit::ConsistencyProof(*store, 11, 37);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(audit::VerifyConsistency(11, 37, *audit::RootAt(expected, 11), expected.Root(),
                                       *consistency)
                  .ok());
  // Leaf reads are clamped by count and by bytes, but give at least one leaf.
  EXPECT_EQ(store->ReadLeaves(30, 1000, 1 << 20)->size(), 7u);
  EXPECT_EQ(store->ReadLeaves(3, 2, 1 << 20)->size(), 2u);
  EXPECT_EQ(store->ReadLeaves(3, 10, 1)->size(), 1u);
  EXPECT_TRUE(store->ReadLeaves(37, 10, 1 << 20)->empty());
}

TEST_F(TreeWriterTest, GrowsAcrossReopen) {
  AppendEvents(10);
  Reopen();
  AppendEvents(23);
  EXPECT_EQ(*audit::RootAt(*log_->audit_store(), 33), Recompute().Root());
}

TEST_F(TreeWriterTest, RebuildsTheTreeOfAFolderWrittenWithoutIt) {
  AppendEvents(45);
  const audit::Hash root = Recompute().Root();
  log_.reset();
  {  // Make the folder look like one from before the tree: drop the merkle family's content.
    auto database = LogDatabase::Open(dir_);
    ASSERT_TRUE(database.ok());
    rocksdb::WriteBatch batch;
    batch.DeleteRange((*database)->merkle(), std::string(), std::string(10, '\xff'));
    ASSERT_TRUE((*database)->db()->Write(rocksdb::WriteOptions(), &batch).ok());
    ASSERT_EQ(*StoredTreeSize(**database), 0u);
  }
  Reopen();
  EXPECT_EQ(*audit::RootAt(*log_->audit_store(), 45), root);
  AppendEvents(4);
  EXPECT_EQ(*audit::RootAt(*log_->audit_store(), 49), Recompute().Root());
}

TEST_F(TreeWriterTest, RefusesATreeLongerThanTheLog) {
  AppendEvents(6);
  log_.reset();
  {
    auto database = LogDatabase::Open(dir_);
    ASSERT_TRUE(database.ok());
    ASSERT_TRUE((*database)->db()->Delete(rocksdb::WriteOptions(), (*database)->events(),
                                          EncodeBigEndian64(6)).ok());
  }
  auto opened = RocksDbEventLog::Open(dir_, RocksDbEventLogOptions());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss) << opened.status();
}

TEST_F(TreeWriterTest, CheckpointerSignsOnlyWhenTheTreeGrew) {
  const std::string key_path = absl::StrCat(dir_, "-key.pem");
  ASSERT_EQ(std::system(absl::StrCat("openssl genpkey -algorithm ed25519 -out ", key_path,
                                     " 2>/dev/null").c_str()),
            0);
  auto key = audit::SigningKey::FromPemFile(key_path);
  ASSERT_TRUE(key.ok()) << key.status();
  std::filesystem::remove(key_path);
  common::FakeClock clock(absl::FromUnixSeconds(1800000000));
  audit::AuditStore* store = log_->audit_store();
  audit::Checkpointer checkpointer(store, key->get(), &clock, absl::Seconds(60));

  AppendEvents(5);
  auto first = checkpointer.SignNow();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->size, 5u);
  EXPECT_EQ(first->root, Recompute().Root());
  EXPECT_TRUE((*key)->public_key().VerifyCheckpoint(*first).ok());
  clock.Advance(absl::Seconds(5));
  auto again = checkpointer.SignNow();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->time, first->time);  // not grown: the stored one

  AppendEvents(3);
  auto second = checkpointer.SignNow();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->size, 8u);
  auto listed = store->ListCheckpoints(0, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].size, 5u);
  EXPECT_EQ((*listed)[1].size, 8u);
  EXPECT_EQ(store->LatestCheckpoint()->value().size, 8u);
  EXPECT_EQ(store->CheckpointAt(5)->value().root, first->root);
  EXPECT_FALSE(store->CheckpointAt(6)->has_value());
  EXPECT_EQ(store->PutCheckpoint(*first).code(), absl::StatusCode::kAlreadyExists);
  auto pem = store->PublicKey((*key)->public_key().key_id());
  ASSERT_TRUE(pem.ok() && pem->has_value());
  EXPECT_EQ(**pem, (*key)->public_key().pem());

  // Checkpoints survive a restart.
  Reopen();
  EXPECT_EQ(log_->audit_store()->LatestCheckpoint()->value().signature, second->signature);
}

}  // namespace
}  // namespace irm::store
