#include "engine/projection/projection_runner.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace irm::projection
