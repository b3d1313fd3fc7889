#include "engine/projection/projection_runner.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/projection/memory_projection_store.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"

namespace irm::projection {
namespace {

// Counts how many events reach the wrapped projection.
class CountingProjection final : public Projection {
 public:
  explicit CountingProjection(std::atomic<int>* applied) : applied_(applied) {}
  absl::string_view name() const override { return "stream_stats"; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override {
    ++*applied_;
    return inner_.Apply(event, state);
  }

 private:
  std::atomic<int>* applied_;
  StreamStatsProjection inner_;
};

class ProjectionRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/irm_proj_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
                        getpid());
    std::filesystem::remove_all(dir_);
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    auto log = store::RocksDbEventLog::Open(dir_, {});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    feed_ = std::make_unique<subscription::LiveFeed>(log_.get());
    std::vector<std::unique_ptr<Projection>> projections;
    projections.push_back(std::make_unique<CountingProjection>(&applied_));
    runner_ = std::make_unique<ProjectionRunner>(feed_.get(), log_->projection_store(),
                                                 std::move(projections));
    runner_->Start();
  }
  void Close() {
    runner_.reset();
    if (log_) log_->Close();
    feed_.reset();
    log_.reset();
  }
  uint64_t AppendMany(int appends) {
    uint64_t last = 0;
    for (int i = 0; i < appends; ++i) {
      log::AppendRequest request;
      request.stream = absl::StrCat("review-", i % 13, "-2");
      for (int j = 0; j <= i % 3; ++j) {
        log::ProposedEvent e;
        e.type = absl::StrCat("Type", (i + j) % 5);
        e.data = "{}";
        request.events.push_back(e);
      }
      auto result = log_->Append(std::move(request));
      EXPECT_TRUE(result.ok());
      last = result->last_position;
    }
    return last;
  }

  std::string dir_;
  std::atomic<int> applied_{0};
  std::unique_ptr<store::RocksDbEventLog> log_;
  std::unique_ptr<subscription::LiveFeed> feed_;
  std::unique_ptr<ProjectionRunner> runner_;
};

TEST_F(ProjectionRunnerTest, IncrementalStateEqualsARebuild) {
  const uint64_t head = AppendMany(1500);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  auto value = log_->projection_store()->Get("stream_stats", "stream/review-0-2");
  ASSERT_TRUE(value.ok() && value->has_value());
  auto report = runner_->Rebuild("stream_stats");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->events, head);
  EXPECT_EQ(report->digest_before, report->digest_after);
  EXPECT_EQ(report->digest_before.size(), 64u);
  EXPECT_EQ(*log_->projection_store()->Get("stream_stats", "stream/review-0-2"), *value);
}

TEST_F(ProjectionRunnerTest, ResumesFromItsCheckpointWithoutReplaying) {
  const uint64_t first = AppendMany(200);
  ASSERT_TRUE(runner_->WaitUntilApplied(first, absl::Seconds(30)).ok());
  EXPECT_EQ(applied_.load(), static_cast<int>(first));
  Close();
  applied_ = 0;
  Open();
  const uint64_t second = AppendMany(10);
  ASSERT_TRUE(runner_->WaitUntilApplied(second, absl::Seconds(30)).ok());
  EXPECT_EQ(applied_.load(), static_cast<int>(second - first)) << "startup replayed old events";
  auto listed = runner_->List();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].checkpoint, second);
  EXPECT_EQ(listed[0].lag_events, 0u);
}

TEST_F(ProjectionRunnerTest, RebuildOfAnUnknownNameListsTheKnownOnes) {
  auto report = runner_->Rebuild("nope");
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(report.status().message().find("stream_stats"), absl::string_view::npos);
}

TEST_F(ProjectionRunnerTest, ReplayCheckInScratchSpaceMatchesTheLiveState) {
  const uint64_t head = AppendMany(300);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  const std::string live = *StateDigest(*log_->projection_store(), "stream_stats");
  MemoryProjectionStore scratch;
  auto rows = runner_->ReplayCheck(&scratch);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].name, "stream_stats");
  EXPECT_EQ((*rows)[0].position, head);
  EXPECT_TRUE((*rows)[0].equal()) << (*rows)[0].error;
  EXPECT_EQ((*rows)[0].live_digest, live);
  EXPECT_EQ((*rows)[0].replayed_digest, live);
  // The live state was only read.
  EXPECT_EQ(*StateDigest(*log_->projection_store(), "stream_stats"), live);
  EXPECT_EQ(*log_->projection_store()->Checkpoint("stream_stats"), head);
}

TEST_F(ProjectionRunnerTest, ReplayCheckNamesAProjectionWhoseLiveStateWasCorrupted) {
  const uint64_t head = AppendMany(50);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  auto value = log_->projection_store()->Get("stream_stats", "stream/review-0-2");
  ASSERT_TRUE(value.ok() && value->has_value());
  // A wrong value written straight into the live store, at the same checkpoint.
  StateChanges wrong;
  wrong["stream/review-0-2"] = **value + "x";
  ASSERT_TRUE(log_->projection_store()->Commit("stream_stats", wrong, head).ok());
  MemoryProjectionStore scratch;
  auto rows = runner_->ReplayCheck(&scratch);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE((*rows)[0].equal());
  EXPECT_EQ((*rows)[0].name, "stream_stats");
  EXPECT_TRUE((*rows)[0].error.empty()) << (*rows)[0].error;
  EXPECT_NE((*rows)[0].live_digest, (*rows)[0].replayed_digest);
  EXPECT_EQ(*scratch.Get("stream_stats", "stream/review-0-2"), *value);
}

// StreamStatsProjection makes fresh instances, so its replay runs while the live runner
// keeps applying new events; the comparison stays at the position the digest was taken.
TEST_F(ProjectionRunnerTest, ReplayCheckOnFreshInstancesWhileAppendsGoOn) {
  runner_.reset();
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<StreamStatsProjection>());
  runner_ = std::make_unique<ProjectionRunner>(feed_.get(), log_->projection_store(),
                                               std::move(projections));
  runner_->Start();
  const uint64_t head = AppendMany(400);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  std::thread appender([this] { AppendMany(100); });
  MemoryProjectionStore scratch;
  auto rows = runner_->ReplayCheck(&scratch);
  appender.join();
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_GE((*rows)[0].position, head);
  EXPECT_TRUE((*rows)[0].equal()) << (*rows)[0].error;
  EXPECT_EQ(*scratch.Checkpoint("stream_stats"), (*rows)[0].position);
}

TEST(MemoryProjectionStoreTest, DigestEqualsTheRocksDbStoreHoldingTheSameState) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/irm_memstore_", getpid());
  std::filesystem::remove_all(dir);
  auto log = store::RocksDbEventLog::Open(dir, {});
  ASSERT_TRUE(log.ok()) << log.status();
  MemoryProjectionStore memory;
  StateChanges changes{{"a", "1"}, {"ab", "2"}, {"b", "3"}, {"c", std::nullopt}};
  ASSERT_TRUE(memory.Commit("ns", changes, 9).ok());
  ASSERT_TRUE((*log)->projection_store()->Commit("ns", changes, 9).ok());
  EXPECT_EQ(*StateDigest(memory, "ns"), *StateDigest(*(*log)->projection_store(), "ns"));
  EXPECT_EQ(*memory.Checkpoint("ns"), 9u);
  std::vector<std::string> keys;
  ASSERT_TRUE(memory.Scan("ns", "a", [&](absl::string_view k, absl::string_view) {
    keys.emplace_back(k);
    return true;
  }).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "ab"}));
  ASSERT_TRUE(memory.Clear("ns").ok());
  EXPECT_EQ(*memory.Checkpoint("ns"), 0u);
  EXPECT_FALSE(memory.Get("ns", "a")->has_value());
  log->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace irm::projection
