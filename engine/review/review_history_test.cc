// Time travel over one review's stream (position, business date and recorded-time cuts) and
// field provenance, on a real RocksDB log with a fake clock.
#include "engine/review/review_history.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "engine/review/deadlines.h"
#include "engine/review/review_provenance.h"
#include "engine/review/review_workflow.h"
#include "engine/store/rocksdb_event_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;
using ::testing::HasSubstr;

absl::Time Noon(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0), absl::UTCTimeZone());
}

class ReviewHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/irm_history_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
                        getpid());
    std::filesystem::remove_all(dir_);
    store::RocksDbEventLogOptions options;
    options.clock = &clock_;
    auto log = store::RocksDbEventLog::Open(dir_, options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    workflow_ = std::make_unique<ReviewWorkflow>(log_.get(), &clock_);
    actor_.set_name("Ana Ruiz");
    actor_.set_role("secretariat");
  }
  void TearDown() override {
    workflow_.reset();
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Records one step of KEN cycle 2 (or `state`) and returns its position.
  template <typename T>
  uint64_t Step(const std::string& on, std::function<void(T&)> fill = nullptr,
                const std::string& state = "KEN") {
    auto event = std::make_unique<T>();
    event->set_on(on);
    if (fill) fill(*event);
    std::vector<std::unique_ptr<google::protobuf::Message>> events;
    events.push_back(std::move(event));
    auto recorded = workflow_->Record(state, 2, std::move(events), By(), std::nullopt);
    EXPECT_TRUE(recorded.ok()) << recorded.status();
    clock_.Advance(absl::Hours(1));
    return recorded.ok() ? recorded->position : 0;
  }

  absl::StatusOr<ReviewHistory> At(AsOf as_of) {
    return ReadReviewHistory(*log_, "KEN", 2, as_of, /*with_provenance=*/true);
  }

  // Schedules, draws, launches, appoints and holds the kickoff of KEN cycle 2, with an
  // unrelated review's event in between. Positions in p_.
  void Advance() {
    p_.push_back(Step<ev::ReviewScheduled>("2016-01-10", [](auto& e) { e.set_year(1); }));
    Step<ev::ReviewScheduled>("2016-01-11", [](auto& e) { e.set_year(1); }, "UGA");
    p_.push_back(Step<ev::ReviewersDrawn>("2016-02-01", [](auto& e) {
      e.add_reviewers("UGA");
      e.add_reviewers("FRA");
    }));
    p_.push_back(Step<ev::ReviewLaunched>("2016-06-01"));
    p_.push_back(Step<ev::FocalPointAppointed>("2016-06-15", [](auto& e) { e.set_name("Ana"); }));
    p_.push_back(Step<ev::KickoffCallHeld>("2016-07-01",
                                           [](auto& e) { e.set_checklist_due("2016-08-01"); }));
  }

  common::FakeClock clock_{Noon(2026, 11, 30)};
  std::string dir_;
  std::unique_ptr<store::RocksDbEventLog> log_;
  std::unique_ptr<ReviewWorkflow> workflow_;
  ev::EventMetadata By() const {
    ev::EventMetadata by;
    *by.mutable_actor() = actor_;
    return by;
  }

  ev::Principal actor_;
  std::vector<uint64_t> p_;
};

TEST_F(ReviewHistoryTest, PositionCutFoldsTheEventsUpToIt) {
  Advance();
  ASSERT_EQ(p_.size(), 5u);
  AsOf as_of;
  as_of.position = p_[2];  // the launch
  absl::StatusOr<ReviewHistory> h = At(as_of);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->state.stage(), "launched");
  EXPECT_EQ(h->events.size(), 3u);
  EXPECT_EQ(h->state.last_position(), p_[2]);
  as_of.position = p_[2] + 1;  // the next event is FocalPointAppointed at p_[3] = p_[2] + 1
  EXPECT_EQ(At(as_of)->state.stage(), "focal_point_appointed");
  EXPECT_EQ(At(AsOf())->state.stage(), "kickoff_held");
  EXPECT_EQ(At(AsOf())->events.size(), 5u);
}

TEST_F(ReviewHistoryTest, BusinessDayCutFoldsTheStepsDatedUpToTheEndOfIt) {
  Advance();
  AsOf as_of;
  as_of.business_day = absl::CivilDay(2016, 6, 14);
  EXPECT_EQ(At(as_of)->state.stage(), "launched");
  as_of.business_day = absl::CivilDay(2016, 6, 15);  // the day of the appointment counts
  EXPECT_EQ(At(as_of)->state.stage(), "focal_point_appointed");
  EXPECT_EQ(At(as_of)->state.focal_point(), "Ana");
  // All recorded "today" (2026), so the recorded-time cut of the same day sees nothing.
  AsOf known;
  known.recorded_before = absl::FromCivil(absl::CivilDay(2016, 6, 16), absl::UTCTimeZone());
  EXPECT_TRUE(absl::IsNotFound(At(known).status()));
}

TEST_F(ReviewHistoryTest, BackdatedStepCountsForItsBusinessDateNotItsPosition) {
  Advance();
  // A need identified at the kickoff, recorded late (last in the log) but dated 2016-07-01.
  const uint64_t late = Step<ev::NeedIdentified>("2016-07-01", [](auto& e) {
    e.set_article(5);
    e.set_category("legislative_assistance");
    e.set_text("drafting");
  });
  AsOf by_date;
  by_date.business_day = absl::CivilDay(2016, 7, 1);
  absl::StatusOr<ReviewHistory> h = At(by_date);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->state.needs_size(), 1);
  AsOf by_position;
  by_position.position = late - 1;
  EXPECT_EQ(At(by_position)->state.needs_size(), 0);
}

TEST_F(ReviewHistoryTest, RecordedTimeCutSeesWhatTheLogHadThen) {
  Advance();
  // Step k was recorded at noon + k hours (UGA's event took one hour too).
  AsOf known;
  known.recorded_before = Noon(2026, 11, 30) + absl::Hours(2) + absl::Minutes(30);
  absl::StatusOr<ReviewHistory> h = At(known);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->state.stage(), "reviewers_drawn");
  EXPECT_EQ(h->events.size(), 2u);
}

TEST_F(ReviewHistoryTest, BeforeTheFirstEventIsNotFoundAndSaysWhereItStarts) {
  Step<ev::ReviewScheduled>("2016-01-11", [](auto& e) { e.set_year(1); }, "NGA");
  Advance();
  AsOf as_of;
  as_of.position = 1;
  absl::Status status = At(as_of).status();
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("did not exist yet as of position 1"));
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("first event is at position ", p_[0])));
  EXPECT_THAT(status.message(), HasSubstr("ReviewScheduled on 2016-01-10"));
  AsOf dated;
  dated.business_day = absl::CivilDay(2015, 12, 31);
  EXPECT_THAT(At(dated).status().message(), HasSubstr("business date 2015-12-31"));
  absl::Status none = ReadReviewHistory(*log_, "FRA", 2, AsOf(), true).status();
  EXPECT_TRUE(absl::IsNotFound(none));
  EXPECT_THAT(none.message(), HasSubstr("no review review-FRA-2"));
}

TEST_F(ReviewHistoryTest, ProvenanceNamesTheEventThatLastChangedEachField) {
  Advance();
  absl::StatusOr<ReviewHistory> h = At(AsOf());
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->set_by.at("stage"), p_[4]);
  EXPECT_EQ(h->set_by.at("year"), p_[0]);
  EXPECT_EQ(h->set_by.at("region"), p_[0]);
  EXPECT_EQ(h->set_by.at("reviewers"), p_[1]);
  EXPECT_EQ(h->set_by.at("launched_on"), p_[2]);
  EXPECT_EQ(h->set_by.at("focal_point"), p_[3]);
  EXPECT_EQ(h->set_by.at("checklist_due"), p_[4]);
  EXPECT_EQ(h->set_by.at("revision"), p_[4]);
  EXPECT_EQ(h->set_by.count("dialogue"), 0u) << "no event set the dialogue yet";
  EXPECT_EQ(FieldValueText(h->state, "reviewers"), "UGA,FRA");
  EXPECT_EQ(FieldValueText(h->state, "year"), "1");
  // The deadline of the next step follows from checklist_due, set by the kickoff.
  EXPECT_EQ(DeadlineBasis(h->state), "checklist_due");
  // Provenance as of an earlier position is that of the earlier state.
  AsOf as_of;
  as_of.position = p_[1];
  EXPECT_EQ(At(as_of)->set_by.at("stage"), p_[1]);
}

TEST(ProvenanceTrackerTest, SettingTheSameValueDoesNotTakeAFieldOver) {
  ev::ReviewState a;
  a.set_stage("launched");
  a.set_focal_point("Ana");
  ProvenanceTracker tracker;
  tracker.Note(ev::ReviewState(), a, 7);
  ev::ReviewState b = a;
  b.set_focal_point("Ana");  // the same name again
  b.set_stage("focal_point_appointed");
  tracker.Note(a, b, 9);
  EXPECT_EQ(tracker.set_by().at("focal_point"), 7u);
  EXPECT_EQ(tracker.set_by().at("stage"), 9u);
  ev::ReviewState c = b;
  c.add_needs()->set_need_id("KEN-2-1");
  tracker.Note(b, c, 11);
  ev::ReviewState d = c;
  d.mutable_needs(0)->set_status("addressed");
  tracker.Note(c, d, 12);
  EXPECT_EQ(tracker.set_by().at("needs"), 12u);
  EXPECT_EQ(tracker.set_by().at("need:KEN-2-1"), 12u);
  EXPECT_THAT(ProvenanceFields(d), ::testing::Contains("need:KEN-2-1"));
  EXPECT_EQ(FieldValueText(d, "need:KEN-2-1"), "addressed (article 0)");
  EXPECT_EQ(FieldValueText(d, "no_such_field"), "");
}

}  // namespace
}  // namespace irm::review
