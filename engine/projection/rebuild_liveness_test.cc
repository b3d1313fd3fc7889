// A projection rebuild runs beside live traffic: events appended one after another during a
// rebuild of a 300,000-event log reach a live feed reader, and the other projections apply
// them, with a p95 under 100 ms. A timing test: ctest runs it alone (RUN_SERIAL, label
// serial).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/mutex.h"
#include "absl/time/clock.h"
#include "engine/projection/projection_runner.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"

namespace irm::projection {
namespace {

constexpr uint64_t kLogEvents = 300000;

// StreamStatsProjection that, once armed, reports that the rebuild is replaying and holds
// the replay at position kLogEvents until released (or 20 s passed, so a runner that froze
// fails the test instead of hanging it), so the rebuild is certainly running while the
// test measures (a stand-in for a longer log).
class GatedStreamStats final : public Projection {
 public:
  absl::string_view name() const override { return "stream_stats"; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override {
    if (armed_.load()) {
      common::MutexLock lock(&mu_);
      replaying_ = true;
      if (event.position() == kLogEvents) {
        auto released = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return released_; };
        mu_.AwaitWithTimeout(absl::Condition(&released), absl::Seconds(20));
      }
    }
    return inner_.Apply(event, state);
  }

  void Arm() { armed_ = true; }
  void AwaitReplaying() {
    common::MutexLock lock(&mu_);
    auto replaying = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return replaying_; };
    mu_.Await(absl::Condition(&replaying));
  }
  void Release() {
    common::MutexLock lock(&mu_);
    released_ = true;
  }

 private:
  std::atomic<bool> armed_{false};
  common::Mutex mu_;
  bool replaying_ ABSL_GUARDED_BY(mu_) = false;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  StreamStatsProjection inner_;
};

class Other final : public Projection {
 public:
  absl::string_view name() const override { return "other"; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override {
    return inner_.Apply(event, state);
  }

 private:
  StreamStatsProjection inner_;
};

// Waits until `feed` shows `position`, up to `timeout`, as a live subscription does; false
// on timeout.
bool AwaitFeed(subscription::LiveFeed& feed, uint64_t position, absl::Duration timeout) {
  struct Signal {
    common::Mutex mu;
    bool woken ABSL_GUARDED_BY(mu) = false;
  };
  auto signal = std::make_shared<Signal>();  // a wake may run after Cancel: it shares it
  subscription::LiveFeed::WaitId id = 0;
  if (!feed.WaitFor(position, [signal] {
        common::MutexLock lock(&signal->mu);
        signal->woken = true;
      }, &id)) {
    return feed.head() >= position;
  }
  bool arrived;
  {
    common::MutexLock lock(&signal->mu);
    arrived = signal->mu.AwaitWithTimeout(absl::Condition(&signal->woken), timeout);
  }
  feed.Cancel(id);
  return arrived;
}

TEST(RebuildLivenessTest, LiveDeliveryAndOtherProjectionsKeepGoingDuringARebuild) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/irm_rebuild_liveness_", getpid());
  std::filesystem::remove_all(dir);
  auto opened = store::RocksDbEventLog::Open(dir, {});
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<store::RocksDbEventLog> log = std::move(*opened);
  // The log, in batches of 1,000 events.
  for (uint64_t i = 0; i < kLogEvents / 1000; ++i) {
    log::AppendRequest request;
    request.stream = absl::StrCat("s-", i % 97);
    for (int j = 0; j < 1000; ++j) {
      log::ProposedEvent e;
      e.type = absl::StrCat("Type", j % 7);
      e.data = "{}";
      request.events.push_back(std::move(e));
    }
    ASSERT_TRUE(log->Append(std::move(request)).ok());
  }
  ASSERT_EQ(log->HeadPosition(), kLogEvents);

  auto feed = std::make_unique<subscription::LiveFeed>(log.get());
  auto gated = std::make_unique<GatedStreamStats>();
  GatedStreamStats* gate = gated.get();
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::move(gated));
  projections.push_back(std::make_unique<Other>());
  auto runner = std::make_unique<ProjectionRunner>(feed.get(), log->projection_store(),
                                                   std::move(projections));
  runner->Start();
  ASSERT_TRUE(runner->WaitUntilApplied(kLogEvents, absl::Seconds(120)).ok());

  gate->Arm();
  absl::StatusOr<RebuildReport> report;
  std::atomic<bool> rebuilt{false};
  std::thread rebuild([&] {
    report = runner->Rebuild("stream_stats");
    rebuilt = true;
  });
  gate->AwaitReplaying();

  // One event at a time while the rebuild runs: to a feed reader, and applied by `other`.
  // Only samples taken wholly while the rebuild ran count.
  std::vector<double> delivery_ms;
  std::vector<double> applied_ms;
  for (int i = 0; i < 40 && !rebuilt.load(); ++i) {
    log::AppendRequest request;
    request.stream = "live";
    log::ProposedEvent e;
    e.type = "Live";
    e.data = "{}";
    request.events.push_back(std::move(e));
    const absl::Time start = absl::Now();
    absl::StatusOr<log::AppendResult> appended = log->Append(std::move(request));
    ASSERT_TRUE(appended.ok()) << appended.status();
    const bool delivered = AwaitFeed(*feed, appended->last_position, absl::Seconds(2));
    delivery_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    const absl::Status applied =
        runner->WaitUntilApplied(appended->last_position, absl::Seconds(2), {"other"});
    applied_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!delivered || !applied.ok()) break;  // frozen: the percentile fails below
  }
  const bool rebuilt_early = rebuilt.load();
  gate->Release();
  rebuild.join();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->events, kLogEvents);
  EXPECT_EQ(report->digest_before, report->digest_after);
  // After the rebuild the runner catches the rebuilt projection up with the live events.
  EXPECT_TRUE(runner->WaitUntilApplied(log->HeadPosition(), absl::Seconds(30)).ok());

  auto p95 = [](std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
  };
  EXPECT_FALSE(rebuilt_early) << "live events waited for the rebuild to end";
  EXPECT_EQ(delivery_ms.size(), 40u) << "an event took 2 s or more to arrive";
  EXPECT_LT(p95(delivery_ms), 100.0);
  EXPECT_LT(p95(applied_ms), 100.0);

  runner.reset();
  log->Close();
  feed.reset();
  log.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace irm::projection
