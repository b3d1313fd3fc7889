// Passed deadlines and the DeadlineRecorder on a real RocksDB log, with the reviews
// projection running and a fake clock: which deadlines pass, that each is written once (also
// when found again, and after a restart), never into the review's own stream, and that a
// nudge does not judge the awaited step against today.
#include "engine/review/deadline_recorder.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/domain/review_stream.h"
#include "engine/review/passed_deadlines.h"
#include "engine/review/review_workflow.h"
#include "engine/review/reviews_projection.h"
#include "engine/store/rocksdb_event_log.h"
#include "engine/subscription/live_feed.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;
using ::testing::ElementsAre;

absl::Time Noon(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0), absl::UTCTimeZone());
}

class DeadlineRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/irm_deadlines_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
                        getpid());
    std::filesystem::remove_all(dir_);
    Open();
    metadata_.mutable_actor()->set_name("Ana Ruiz");
    metadata_.mutable_actor()->set_role("secretariat");
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Open() {
    store::RocksDbEventLogOptions options;
    options.clock = &clock_;
    auto log = store::RocksDbEventLog::Open(dir_, options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    feed_ = std::make_unique<subscription::LiveFeed>(log_.get());
    std::vector<std::unique_ptr<projection::Projection>> projections;
    projections.push_back(std::make_unique<ReviewsProjection>(log_.get()));
    runner_ = std::make_unique<projection::ProjectionRunner>(
        feed_.get(), log_->projection_store(), std::move(projections));
    runner_->Start();
    workflow_ = std::make_unique<ReviewWorkflow>(log_.get(), &clock_);
    recorder_ = std::make_unique<DeadlineRecorder>(
        log_.get(), runner_.get(), &clock_,
        [this](const absl::Status& s) { ADD_FAILURE() << "recorder error: " << s; });
  }
  void Close() {
    recorder_.reset();
    workflow_.reset();
    runner_.reset();
    if (log_) log_->Close();
    feed_.reset();
    log_.reset();
  }

  template <typename T>
  void Step(const std::string& on, std::function<void(T&)> fill = nullptr) {
    auto event = std::make_unique<T>();
    event->set_on(on);
    if (fill) fill(*event);
    std::vector<std::unique_ptr<google::protobuf::Message>> events;
    events.push_back(std::move(event));
    auto recorded = workflow_->Record("KEN", 2, std::move(events), metadata_, std::nullopt);
    ASSERT_TRUE(recorded.ok()) << recorded.status();
  }
  // KEN-2 scheduled, drawn and launched on 2016-06-01: the focal point is due 2016-06-22.
  void Launch() {
    Step<ev::ReviewScheduled>("2016-01-10", [](auto& e) { e.set_year(1); });
    Step<ev::ReviewersDrawn>("2016-02-01", [](auto& e) {
      e.add_reviewers("UGA");
      e.add_reviewers("FRA");
    });
    Step<ev::ReviewLaunched>("2016-06-01");
  }

  absl::StatusOr<SweepResult> SweepNow() {
    common::Notification done;
    absl::StatusOr<SweepResult> result = absl::UnknownError("not answered");
    recorder_->SweepAsync([&](absl::StatusOr<SweepResult> r) {
      result = std::move(r);
      done.Notify();
    });
    done.WaitForNotification();
    return result;
  }

  // "step deadline" of each event in deadline-KEN-2, in order; checks their shape.
  std::vector<std::string> Written() {
    std::vector<std::string> out;
    absl::Status s = log::ForEachStreamEvent(
        *log_, domain::DeadlineStreamName("KEN", 2), [&](const log::EventRecord& record) {
          ev::DeadlinePassed passed;
          EXPECT_EQ(record.type(), kDeadlinePassedType);
          EXPECT_TRUE(passed.ParseFromString(record.data()));
          EXPECT_EQ(record.id(), DeadlineEventId(passed));
          EXPECT_EQ(record.metadata().actor().role(), kSystemActorRole);
          out.push_back(absl::StrCat(passed.step(), " ", passed.deadline()));
          return true;
        });
    if (!s.ok()) EXPECT_TRUE(absl::IsNotFound(s)) << s;
    return out;
  }
  uint64_t ReviewRevision() {
    auto info = log_->GetStreamInfo("review-KEN-2");
    return info.ok() ? info->last_revision : 0;
  }

  std::string dir_;
  common::FakeClock clock_{Noon(2016, 6, 10)};
  ev::EventMetadata metadata_;
  std::unique_ptr<store::RocksDbEventLog> log_;
  std::unique_ptr<subscription::LiveFeed> feed_;
  std::unique_ptr<projection::ProjectionRunner> runner_;
  std::unique_ptr<ReviewWorkflow> workflow_;
  std::unique_ptr<DeadlineRecorder> recorder_;
};

TEST_F(DeadlineRecorderTest, TheAwaitedStepPassesOnlyAfterItsDeadlineDay) {
  Launch();
  recorder_->Start();
  clock_.Set(Noon(2016, 6, 22));  // the last day the focal point is due
  ASSERT_TRUE(SweepNow().ok());
  EXPECT_TRUE(Written().empty());
  clock_.Set(Noon(2016, 6, 23));
  absl::StatusOr<SweepResult> swept = SweepNow();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->today, "2016-06-23");
  EXPECT_EQ(swept->events_written, 1);
  EXPECT_THAT(Written(), ElementsAre("FocalPointAppointed 2016-06-22"));
}

TEST_F(DeadlineRecorderTest, EachDeadlineIsWrittenOnceAcrossSweepsAndRestarts) {
  Launch();
  const uint64_t revision = ReviewRevision();
  clock_.Set(Noon(2016, 7, 1));
  recorder_->Start();
  ASSERT_TRUE(SweepNow().ok());
  absl::StatusOr<SweepResult> again = SweepNow();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->events_written, 0);
  Close();
  Open();
  recorder_->Start();  // sweeps at start
  ASSERT_TRUE(SweepNow().ok());
  EXPECT_THAT(Written(), ElementsAre("FocalPointAppointed 2016-06-22"));
  EXPECT_EQ(ReviewRevision(), revision) << "the review's own stream moved";
}

TEST_F(DeadlineRecorderTest, AStepRecordedLateIsWrittenWithoutJudgingTheNextOneAgainstToday) {
  clock_.Set(Noon(2026, 12, 4));  // entering a review's past long after it happened
  Launch();
  // The focal point is awaited and its deadline long past, but a history check does not
  // judge the awaited step: the next command may well record it on time.
  absl::StatusOr<int> written = recorder_->CheckHistory("KEN", 2);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 0);
  Step<ev::FocalPointAppointed>("2016-06-20", [](auto& e) { e.set_name("Ana"); });  // on time
  Step<ev::KickoffCallHeld>("2016-07-15");  // due 2016-07-01 (t0 + 1 month): late
  written = recorder_->CheckHistory("KEN", 2);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 1);
  EXPECT_THAT(Written(), ElementsAre("KickoffCallHeld 2016-07-01"));
  // A sweep also judges the awaited checklist (due 2016-08-01) against today.
  recorder_->Start();
  absl::StatusOr<SweepResult> swept = SweepNow();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_THAT(Written(),
              ElementsAre("KickoffCallHeld 2016-07-01", "ChecklistSubmitted 2016-08-01"));
}

TEST_F(DeadlineRecorderTest, ANudgeChecksTheReviewOnTheRecordersThread) {
  Launch();
  recorder_->Start();
  ASSERT_TRUE(SweepNow().ok());  // 2016-06-10: nothing has passed
  clock_.Set(Noon(2016, 6, 25));
  Step<ev::FocalPointAppointed>("2016-06-24", [](auto& e) { e.set_name("Ana"); });  // late
  recorder_->Nudge("KEN", 2);
  // Nudges queued before a sweep request are checked first, on the same thread: the sweep
  // then finds the deadline written already.
  absl::StatusOr<SweepResult> swept = SweepNow();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->events_written, 0);
  EXPECT_THAT(Written(), ElementsAre("FocalPointAppointed 2016-06-22"));
}

TEST(PassedDeadlinesTest, OnlyTheAwaitedStepIsJudgedAgainstToday) {
  ReviewHistory history;  // no events: nothing is awaited with a deadline
  auto passed = PassedDeadlines(history, absl::CivilDay(2030, 1, 1));
  ASSERT_TRUE(passed.ok());
  EXPECT_TRUE(passed->empty());
}

TEST(DeadlineEventTest, IdAndBytesDependOnlyOnStateCycleStepAndDeadline) {
  ev::DeadlinePassed a;
  a.set_state("KEN");
  a.set_cycle(2);
  a.set_step("FocalPointAppointed");
  a.set_deadline("2016-06-22");
  a.set_stage("launched");
  log::ProposedEvent first = DeadlineEvent(a);
  log::ProposedEvent second = DeadlineEvent(a);
  EXPECT_EQ(first.id, second.id);
  EXPECT_EQ(first.data, second.data);
  EXPECT_EQ(first.id.size(), 16u);
  ev::DeadlinePassed b = a;
  b.set_deadline("2016-06-23");
  EXPECT_NE(DeadlineEvent(b).id, first.id);
  EXPECT_EQ(common::UuidBytesToString(first.id)[14], '5') << "a version-5 UUID";
}

}  // namespace
}  // namespace irm::review
