#include "engine/projection/projection_runner.h"

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/common/mutex.h"
#include "engine/projection/memory_projection_store.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"

namespace irm::projection {
namespace {

// Counts how many events reach the wrapped projection.
class CountingProjection final : public Projection {
 public:
  explicit CountingProjection(std::atomic<int>* applied, int version = 1)
      : applied_(applied), version_(version) {}
  absl::string_view name() const override { return "stream_stats"; }
  int version() const override { return version_; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override {
    ++*applied_;
    return inner_.Apply(event, state);
  }

 private:
  std::atomic<int>* applied_;
  const int version_;
  StreamStatsProjection inner_;
};

// StreamStatsProjection under another name, failing at `fail_at` if set.
class RenamedStreamStats final : public Projection {
 public:
  explicit RenamedStreamStats(std::string name, uint64_t fail_at = 0)
      : name_(std::move(name)), fail_at_(fail_at) {}
  absl::string_view name() const override { return name_; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override {
    if (event.position() == fail_at_) return absl::InternalError("planted failure");
    return inner_.Apply(event, state);
  }

 private:
  const std::string name_;
  const uint64_t fail_at_;
  StreamStatsProjection inner_;
};

// StreamStatsProjection named "voidable" that cannot apply the event at `fail_at` until
// `*voided` is set, as a void lets the review folds past an unreadable event.
class VoidableStreamStats final : public Projection {
 public:
  VoidableStreamStats(uint64_t fail_at, const std::atomic<bool>* voided)
      : fail_at_(fail_at), voided_(voided) {}
  absl::string_view name() const override { return "voidable"; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override {
    if (event.position() != fail_at_) return inner_.Apply(event, state);
    if (voided_->load()) return absl::OkStatus();  // skipped
    return absl::DataLossError("planted unreadable event");
  }

 private:
  const uint64_t fail_at_;
  const std::atomic<bool>* voided_;
  StreamStatsProjection inner_;
};

// A MemoryProjectionStore that records how many projections each commit carried.
class CommitRecordingStore final : public ProjectionStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view ns,
                                                 absl::string_view key) const override {
    ++gets_;
    return inner_.Get(ns, key);
  }
  absl::Status Scan(absl::string_view ns, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& visit)
      const override {
    return inner_.Scan(ns, prefix, visit);
  }
  absl::StatusOr<uint64_t> Checkpoint(absl::string_view ns) const override {
    return inner_.Checkpoint(ns);
  }
  absl::Status CommitAll(const std::vector<NamespaceCommit>& parts) override {
    {
      common::MutexLock lock(&mu_);
      parts_per_commit_.push_back(parts.size());
    }
    return inner_.CommitAll(parts);
  }
  absl::Status Clear(absl::string_view ns) override { return inner_.Clear(ns); }

  int gets() const { return gets_.load(); }
  std::vector<size_t> parts_per_commit() const {
    common::MutexLock lock(&mu_);
    return parts_per_commit_;
  }

 private:
  MemoryProjectionStore inner_;
  mutable std::atomic<int> gets_{0};
  mutable common::Mutex mu_;
  std::vector<size_t> parts_per_commit_ ABSL_GUARDED_BY(mu_);
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
  void Open(int version = 1) {
    auto log = store::RocksDbEventLog::Open(dir_, {});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    feed_ = std::make_unique<subscription::LiveFeed>(log_.get());
    std::vector<std::unique_ptr<Projection>> projections;
    projections.push_back(std::make_unique<CountingProjection>(&applied_, version));
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
  void WaitForFeed(uint64_t head) {
    for (int i = 0; i < 3000 && feed_->head() < head; ++i) absl::SleepFor(absl::Milliseconds(10));
    ASSERT_EQ(feed_->head(), head);
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

TEST_F(ProjectionRunnerTest, ANewVersionIsRebuiltFromPositionOneAtStartOnce) {
  const uint64_t head = AppendMany(120);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  const std::string built = *StateDigest(*log_->projection_store(), "stream_stats");
  Close();
  applied_ = 0;
  Open(/*version=*/2);  // the fold changed meaning: its state is rebuilt
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  EXPECT_EQ(applied_.load(), static_cast<int>(head)) << "not replayed from position 1";
  EXPECT_EQ(*StateDigest(*log_->projection_store(), "stream_stats"), built);
  Close();
  applied_ = 0;
  Open(/*version=*/2);  // same version again: resumes from its checkpoint
  const uint64_t more = AppendMany(5);
  ASSERT_TRUE(runner_->WaitUntilApplied(more, absl::Seconds(30)).ok());
  EXPECT_EQ(applied_.load(), static_cast<int>(more - head));
  auto recorded = log_->projection_store()->Get(kProjectionVersionsNamespace, "stream_stats");
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->value_or(""), "2");
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

// Catching up 5,000 events in chunks of 2,048 takes three rounds; each round writes both
// projections' changes and checkpoints in one commit, not one commit per projection.
TEST_F(ProjectionRunnerTest, ARoundCommitsEveryProjectionInOneWrite) {
  runner_.reset();
  uint64_t head = 0;
  while (head < 5000) head = AppendMany(500);
  WaitForFeed(head);  // so that every round takes a whole chunk
  CommitRecordingStore store;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<RenamedStreamStats>("first"));
  projections.push_back(std::make_unique<RenamedStreamStats>("second"));
  ProjectionRunner runner(feed_.get(), &store, std::move(projections));
  runner.Start();
  ASSERT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30)).ok());
  runner.Stop();
  const size_t rounds = (head + 2047) / 2048;
  EXPECT_EQ(store.parts_per_commit(), std::vector<size_t>(rounds, 2));
  EXPECT_EQ(*StateDigest(store, "first"), *StateDigest(store, "second"));
  EXPECT_EQ(*store.Checkpoint("first"), head);
  EXPECT_EQ(*store.Checkpoint("second"), head);
}

// Once a round has read or committed a key, later rounds take it from the runner's cache
// instead of the store, and the state stays what a rebuild gives.
TEST_F(ProjectionRunnerTest, LaterRoundsReadCommittedStateFromTheCache) {
  runner_.reset();
  CommitRecordingStore store;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<RenamedStreamStats>("cached"));
  ProjectionRunner runner(feed_.get(), &store, std::move(projections));
  runner.Start();
  uint64_t head = AppendMany(100);  // every stream and type AppendMany uses
  ASSERT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30)).ok());
  const int gets_after_first = store.gets();
  EXPECT_GT(gets_after_first, 0);
  head = AppendMany(100);  // the same keys again, over several rounds
  ASSERT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30)).ok());
  EXPECT_EQ(store.gets(), gets_after_first) << "a round read a cached key from the store";
  const std::string live = *StateDigest(store, "cached");
  auto report = runner.Rebuild("cached");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->digest_before, live);
  EXPECT_EQ(report->digest_after, live);
  runner.Stop();
}

// A projection that fails stops alone: the others of its round still commit and catch up,
// and the failed one keeps the checkpoint of its last good chunk.
TEST_F(ProjectionRunnerTest, AFailingProjectionDoesNotHoldBackTheOthersInItsRound) {
  runner_.reset();
  uint64_t head = 0;
  while (head < 3000) head = AppendMany(500);
  WaitForFeed(head);
  CommitRecordingStore store;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<RenamedStreamStats>("healthy"));
  projections.push_back(std::make_unique<RenamedStreamStats>("broken", /*fail_at=*/2500));
  ProjectionRunner runner(feed_.get(), &store, std::move(projections));
  runner.Start();
  absl::Status waited = runner.WaitUntilApplied(head, absl::Seconds(30));
  EXPECT_EQ(waited.code(), absl::StatusCode::kUnavailable) << waited;
  EXPECT_NE(waited.message().find("projection broken is stopped at position 2500: planted"),
            absl::string_view::npos)
      << waited;
  // A wait on the healthy one alone is not held up.
  EXPECT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30), {"healthy"}).ok());
  runner.Stop();
  EXPECT_EQ(*store.Checkpoint("healthy"), head);
  EXPECT_EQ(*store.Checkpoint("broken"), 2048u);  // its first chunk; the second fails
  for (const ProjectionStatus& status : runner.List()) {
    if (status.name == "broken") {
      EXPECT_EQ(status.state, ProjectionState::kStopped);
      EXPECT_EQ(status.stopped_at, 2500u);
      EXPECT_EQ(status.error, "planted failure");
    } else {
      EXPECT_EQ(status.state, ProjectionState::kRunning);
      EXPECT_TRUE(status.error.empty()) << status.error;
    }
  }
}

// A stopped projection: waits on it are Unavailable, replay-check does not compare it, and
// a rebuild is refused without touching its state until the event that stopped it applies;
// then the rebuild runs past it to the head.
TEST_F(ProjectionRunnerTest, StoppedProjectionRebuildsOnlyOnceItsEventIsVoid) {
  runner_.reset();
  const uint64_t head = AppendMany(200);
  WaitForFeed(head);
  std::atomic<bool> voided{false};
  CommitRecordingStore store;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<RenamedStreamStats>("healthy"));
  projections.push_back(std::make_unique<VoidableStreamStats>(50, &voided));
  ProjectionRunner runner(feed_.get(), &store, std::move(projections));
  runner.Start();
  ASSERT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30), {"healthy"}).ok());
  absl::Status waited = runner.WaitUntilApplied(head, absl::Seconds(30), {"voidable"});
  EXPECT_EQ(waited.code(), absl::StatusCode::kUnavailable) << waited;
  EXPECT_NE(waited.message().find("voidable is stopped at position 50: planted"),
            absl::string_view::npos)
      << waited;

  const std::string before = *StateDigest(store, "voidable");
  absl::StatusOr<RebuildReport> refused = runner.Rebuild("voidable");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_NE(refused.status().message().find("would stop there again"), absl::string_view::npos);
  EXPECT_EQ(*StateDigest(store, "voidable"), before);
  MemoryProjectionStore scratch;
  absl::StatusOr<std::vector<ReplayComparison>> rows = runner.ReplayCheck(&scratch);
  ASSERT_TRUE(rows.ok()) << rows.status();
  for (const ReplayComparison& row : *rows) {
    if (row.name != "voidable") continue;
    EXPECT_FALSE(row.equal());
    EXPECT_EQ(row.stopped_at, 50u);
  }

  voided = true;
  absl::StatusOr<RebuildReport> rebuilt = runner.Rebuild("voidable");
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->was_stopped_at, 50u);
  EXPECT_EQ(rebuilt->events, head);
  EXPECT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30)).ok());
  for (const ProjectionStatus& status : runner.List()) {
    EXPECT_EQ(status.state, ProjectionState::kRunning) << status.name;
  }
  runner.Stop();
}

// RetryStoppedAt lets a projection stopped at that position go on by itself.
TEST_F(ProjectionRunnerTest, RetryStoppedAtResumesTheProjectionsStoppedThere) {
  runner_.reset();
  const uint64_t head = AppendMany(200);
  WaitForFeed(head);
  std::atomic<bool> voided{false};
  MemoryProjectionStore store;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<VoidableStreamStats>(50, &voided));
  ProjectionRunner runner(feed_.get(), &store, std::move(projections));
  runner.Start();
  ASSERT_EQ(runner.WaitUntilApplied(head, absl::Seconds(30)).code(),
            absl::StatusCode::kUnavailable);
  voided = true;
  EXPECT_TRUE(runner.RetryStoppedAt(49).empty());
  EXPECT_EQ(runner.RetryStoppedAt(50), std::vector<std::string>{"voidable"});
  EXPECT_TRUE(runner.WaitUntilApplied(head, absl::Seconds(30)).ok());
  absl::StatusOr<RebuildReport> rebuilt = runner.Rebuild("voidable");
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->was_stopped_at, 0u);
  EXPECT_EQ(rebuilt->digest_before, rebuilt->digest_after);
  runner.Stop();
}

// Between the feed's Stop() and the runner's (irmd's shutdown), the runner waits for
// Stop() instead of spinning: the process uses almost no CPU meanwhile.
TEST_F(ProjectionRunnerTest, DoesNotSpinOnceTheFeedStopped) {
  const uint64_t head = AppendMany(10);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  feed_->Stop();
  timespec before{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
  // Nothing will apply head + 1: this returns after 500 ms of waiting.
  EXPECT_TRUE(absl::IsDeadlineExceeded(
      runner_->WaitUntilApplied(head + 1, absl::Milliseconds(500))));
  timespec after{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
  const absl::Duration cpu = absl::DurationFromTimespec(after) - absl::DurationFromTimespec(before);
  EXPECT_LT(cpu, absl::Milliseconds(100)) << "the runner used " << cpu << " of CPU in 500 ms";
}

// Stop() ends the wait of an answer that needs a projection at once (nothing will apply it).
TEST_F(ProjectionRunnerTest, StopEndsWaitsAtOnceWithUnavailable) {
  const uint64_t head = AppendMany(3);
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  runner_->Stop();
  const absl::Time start = absl::Now();
  EXPECT_TRUE(absl::IsUnavailable(runner_->WaitUntilApplied(head + 1, absl::Seconds(30))));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(1)).ok());
  EXPECT_TRUE(absl::IsUnavailable(runner_->Rebuild("stream_stats").status()));
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
