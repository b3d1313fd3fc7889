#include "engine/projection/committed_state_cache.h"

#include "gtest/gtest.h"

namespace irm::projection {
namespace {

TEST(CommittedStateCacheTest, HoldsWhatWasReadAndWhatWasCommitted) {
  CommittedStateCache cache;
  EXPECT_EQ(cache.Find("a"), nullptr);
  cache.Remember("a", std::string("1"));
  cache.Remember("gone", std::nullopt);
  ASSERT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(*cache.Find("a"), std::optional<std::string>("1"));
  ASSERT_NE(cache.Find("gone"), nullptr) << "a key known to be absent is cached too";
  EXPECT_FALSE(cache.Find("gone")->has_value());
  StateChanges changes;
  changes["a"] = std::nullopt;
  changes["b"] = "2";
  cache.Committed(changes);
  EXPECT_FALSE(cache.Find("a")->has_value());
  EXPECT_EQ(*cache.Find("b"), std::optional<std::string>("2"));
  cache.Clear();
  EXPECT_EQ(cache.Find("b"), nullptr);
}

TEST(CommittedStateCacheTest, StartsOverInsteadOfGrowingPastItsBound) {
  CommittedStateCache cache(/*max_keys=*/3);
  cache.Remember("a", std::string("1"));
  cache.Remember("b", std::string("2"));
  cache.Remember("c", std::string("3"));
  cache.Remember("a", std::string("4"));  // an update does not count against the bound
  EXPECT_EQ(cache.size(), 3u);
  cache.Remember("d", std::string("5"));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find("a"), nullptr);
  EXPECT_EQ(*cache.Find("d"), std::optional<std::string>("5"));
}

}  // namespace
}  // namespace irm::projection
