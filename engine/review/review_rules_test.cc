// Table-driven tests of the workflow's transitions, and the workflow executor on a real log.
#include "engine/review/review_rules.h"

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/review/deadlines.h"
#include "engine/review/review_fold.h"
#include "engine/review/review_workflow.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;
using Factory = std::function<std::unique_ptr<google::protobuf::Message>()>;

template <typename T>
Factory Make(std::function<void(T&)> fill = nullptr) {
  return [fill] {
    auto m = std::make_unique<T>();
    if (fill) fill(*m);
    return std::unique_ptr<google::protobuf::Message>(std::move(m));
  };
}

// The main path of a review, one step per stage, with dates in order.
std::vector<std::pair<std::string, Factory>> HappyPath() {
  return {
      {"scheduled", Make<ev::ReviewScheduled>([](auto& e) { e.set_year(1); e.set_on("2016-01-10"); })},
      {"reviewers_drawn", Make<ev::ReviewersDrawn>([](auto& e) {
         e.add_reviewers("UGA");
         e.add_reviewers("FRA");
         e.set_on("2016-02-01");
       })},
      {"launched", Make<ev::ReviewLaunched>([](auto& e) { e.set_on("2016-06-01"); })},
      {"focal_point_appointed", Make<ev::FocalPointAppointed>([](auto& e) {
         e.set_name("Ana Ruiz");
         e.set_on("2016-06-15");
       })},
      {"kickoff_held", Make<ev::KickoffCallHeld>([](auto& e) { e.set_on("2016-07-01"); })},
      {"checklist_submitted", Make<ev::ChecklistSubmitted>([](auto& e) { e.set_on("2016-08-01"); })},
      {"desk_review_done", Make<ev::DeskReviewCompleted>([](auto& e) { e.set_on("2016-09-01"); })},
      {"dialogue_held", Make<ev::CountryVisitHeld>([](auto& e) {
         e.set_from("2016-10-03");
         e.set_to("2016-10-05");
       })},
      {"draft_report", Make<ev::DraftReportCirculated>([](auto& e) { e.set_on("2016-11-01"); })},
      {"summary_approved", Make<ev::ExecutiveSummaryApproved>([](auto& e) { e.set_on("2016-12-01"); })},
      {"completed", Make<ev::ExecutiveSummaryIssued>([](auto& e) { e.set_on("2017-01-10"); })},
  };
}

StepContext Context() {
  StepContext ctx;
  ctx.today = absl::CivilDay(2020, 1, 1);
  ctx.actor.set_name("test");
  ctx.actor.set_role("secretariat");
  return ctx;
}

// Folds `message` as the next event of `review`.
void Fold(const google::protobuf::Message& message, ReviewState* review, bool exists) {
  log::EventRecord record;
  record.set_type(message.GetDescriptor()->name());
  record.set_content_type(event::v1::CONTENT_TYPE_PROTOBUF);
  record.set_data(message.SerializeAsString());
  record.set_revision(exists ? review->revision() + 1 : 0);
  ASSERT_TRUE(ApplyToReview(record, review).ok());
}

// At every stage of the main path, exactly the next main-path step is allowed among them
// (and a focal point may be replaced at any stage after the launch), and every other is
// FAILED_PRECONDITION naming the stage and what is allowed next.
TEST(ReviewRulesTest, EachStageAllowsOnlyItsNextStep) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t at = 0; at <= path.size(); ++at) {
    for (size_t step = 0; step < path.size(); ++step) {
      auto event = path[step].second();
      absl::Status s = PrepareStep(review, at > 0, "KEN", 2, event.get(), Context());
      SCOPED_TRACE(absl::StrCat("at stage ", at == 0 ? "(none)" : path[at - 1].first, ", step ",
                                event->GetDescriptor()->name()));
      const bool replacing_focal_point = step == 3 && at > 3;
      const bool new_draft = step == 8 && at == 9;  // a changed draft at draft_report
      if (step == at || replacing_focal_point || new_draft) {
        EXPECT_TRUE(s.ok()) << s;
      } else {
        EXPECT_FALSE(s.ok());
        if (at == 0) {
          EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
        } else {
          EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
        }
        if (at > 0 && step != 0) {
          EXPECT_NE(s.message().find("allowed next"), absl::string_view::npos) << s;
        }
      }
    }
    if (at == path.size()) break;
    auto event = path[at].second();
    ASSERT_TRUE(PrepareStep(review, at > 0, "KEN", 2, event.get(), Context()).ok());
    Fold(*event, &review, at > 0);
    EXPECT_EQ(review.stage(), path[at].first);
    if (review.stage() == "draft_report") {  // the three agreements approval needs
      for (const char* party : {"state", "reviewer:UGA", "reviewer:FRA"}) {
        ev::ReportAgreed agreed;
        agreed.set_party(party);
        agreed.set_on("2016-11-20");
        Fold(agreed, &review, true);
      }
    }
  }
  EXPECT_EQ(review.dialogue(), "country_visit");
  EXPECT_EQ(NextStepOf(review).event_type, "");
}

TEST(ReviewRulesTest, RejectsBadValuesWithInvalidArgument) {
  ReviewState none;
  auto scheduled = std::make_unique<ev::ReviewScheduled>();
  scheduled->set_year(1);
  EXPECT_EQ(PrepareStep(none, false, "XYZ", 2, scheduled.get(), Context()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareStep(none, false, "KEN", 3, scheduled.get(), Context()).code(),
            absl::StatusCode::kInvalidArgument);
  scheduled->set_year(6);
  EXPECT_EQ(PrepareStep(none, false, "KEN", 2, scheduled.get(), Context()).code(),
            absl::StatusCode::kInvalidArgument);
  scheduled->set_year(1);
  scheduled->set_on("2016-02-30");
  EXPECT_EQ(PrepareStep(none, false, "KEN", 2, scheduled.get(), Context()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReviewRulesTest, NeedsBelongToTheCycleAndGetIds) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 3; ++i) Fold(*path[i].second(), &review, i > 0);
  ev::NeedIdentified need;
  need.set_article(15);  // chapter III: cycle 1
  need.set_category("capacity_building");
  need.set_text("t");
  absl::Status s = PrepareStep(review, true, "KEN", 2, &need, Context());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("15"), absl::string_view::npos);
  need.set_article(9);
  need.set_category("model_legislation");  // a cycle-1 category
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &need, Context()).code(),
            absl::StatusCode::kInvalidArgument);
  need.set_category("capacity_building");
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &need, Context()).ok());
  EXPECT_EQ(need.need_id(), "KEN-2-1");
  EXPECT_EQ(need.chapter(), "II");
}

TEST(ReviewRulesTest, TheStateMayRequestTwoRedrawsThenOnlyTheSecretariatByException) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 2; ++i) Fold(*path[i].second(), &review, i > 0);
  for (int round = 0; round < 2; ++round) {
    ev::ReviewerRedrawRequested redraw;
    redraw.set_slot(1);
    ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &redraw, Context()).ok());
    Fold(redraw, &review, true);
    EXPECT_EQ(review.stage(), "scheduled");
    ev::ReviewersDrawn drawn;
    drawn.set_slot(1);
    drawn.add_reviewers(round == 0 ? "TZA" : "RWA");
    ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &drawn, Context()).ok());
    Fold(drawn, &review, true);
    EXPECT_EQ(review.stage(), "reviewers_drawn");
  }
  ev::ReviewerRedrawRequested third;
  third.set_slot(2);
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &third, Context()).code(),
            absl::StatusCode::kFailedPrecondition);
  third.set_by_secretariat_exception(true);
  EXPECT_TRUE(PrepareStep(review, true, "KEN", 2, &third, Context()).ok());
}

TEST(ReviewRulesTest, DatesCannotPrecedeTheStepTheyFollow) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 3; ++i) Fold(*path[i].second(), &review, i > 0);
  ev::FocalPointAppointed early;
  early.set_name("X");
  early.set_on("2016-05-01");  // before the launch on 2016-06-01
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &early, Context()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DeadlinesTest, CountsFromTheLaunchAndMarksOverdue) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 3; ++i) Fold(*path[i].second(), &review, i > 0);
  NextStep next = NextStepOf(review);
  EXPECT_EQ(next.event_type, "FocalPointAppointed");
  ASSERT_TRUE(next.deadline.has_value());
  EXPECT_EQ(*next.deadline, absl::CivilDay(2016, 6, 22));
  EXPECT_FALSE(IsOverdue(review, absl::CivilDay(2016, 6, 22)));
  EXPECT_TRUE(IsOverdue(review, absl::CivilDay(2016, 6, 23)));
}

// The review folded up to its first draft (stage draft_report, reviewers UGA and FRA).
ReviewState AtDraft() {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 9; ++i) Fold(*path[i].second(), &review, i > 0);
  return review;
}

StepContext OnBehalfOf(const std::string& principal) {
  StepContext ctx = Context();
  ctx.on_behalf_of = principal;
  return ctx;
}

absl::Status Agree(ReviewState* review, const std::string& party, const StepContext& ctx,
                   const std::string& on = "2016-11-20") {
  ev::ReportAgreed agreed;
  agreed.set_party(party);
  agreed.set_on(on);
  absl::Status s = PrepareStep(*review, true, "KEN", 2, &agreed, ctx);
  if (s.ok()) Fold(agreed, review, true);
  return s;
}

TEST(AgreementRulesTest, ApprovalWaitsForTheStateAndBothReviewersAndNamesWhoIsMissing) {
  ReviewState review = AtDraft();
  ev::ExecutiveSummaryApproved approve;
  approve.set_on("2016-12-01");
  absl::Status s = PrepareStep(review, true, "KEN", 2, &approve, Context());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("the State under review (KEN), reviewer UGA, reviewer FRA"),
            absl::string_view::npos) << s;
  ASSERT_TRUE(Agree(&review, "state", OnBehalfOf("focal_point:KEN")).ok());
  ASSERT_TRUE(Agree(&review, "reviewer:FRA", OnBehalfOf("reviewer:FRA")).ok());
  s = PrepareStep(review, true, "KEN", 2, &approve, Context());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("not agreed yet by reviewer UGA;"), absl::string_view::npos) << s;
  EXPECT_EQ(s.message().find("FRA"), absl::string_view::npos) << s;
  StepContext reviewer = Context();
  reviewer.actor.set_role("reviewer");
  reviewer.actor.set_state("UGA");
  ASSERT_TRUE(Agree(&review, "reviewer:UGA", reviewer).ok());
  EXPECT_TRUE(PrepareStep(review, true, "KEN", 2, &approve, Context()).ok());
  ASSERT_EQ(review.agreements_size(), 3);
  EXPECT_EQ(review.agreements(0).on_behalf_of(), "focal_point:KEN");
  EXPECT_EQ(review.agreements(2).on_behalf_of(), "");
}

TEST(AgreementRulesTest, ANewDraftVoidsTheAgreementsToTheEarlierOne) {
  ReviewState review = AtDraft();
  for (const char* party : {"state", "reviewer:UGA", "reviewer:FRA"}) {
    ASSERT_TRUE(Agree(&review, party, OnBehalfOf(party == std::string("state")
                                                     ? "focal_point:KEN"
                                                     : party)).ok());
  }
  EXPECT_EQ(Agree(&review, "state", OnBehalfOf("focal_point:KEN")).code(),
            absl::StatusCode::kFailedPrecondition);  // once per draft
  ev::DraftReportCirculated second;
  second.set_on("2016-11-25");
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &second, Context()).ok());
  Fold(second, &review, true);
  EXPECT_EQ(review.drafts(), 2);
  EXPECT_EQ(review.agreements_size(), 0);
  ev::ExecutiveSummaryApproved approve;
  approve.set_on("2016-12-01");
  absl::Status s = PrepareStep(review, true, "KEN", 2, &approve, Context());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("(draft 2)"), absl::string_view::npos) << s;
  ev::ReportAgreed agreed;
  agreed.set_party("state");
  agreed.set_on("2016-11-26");
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &agreed, OnBehalfOf("focal_point:KEN")).ok());
  EXPECT_EQ(agreed.draft(), 2);
  EXPECT_EQ(agreed.on_behalf_of(), "focal_point:KEN");
}

TEST(AgreementRulesTest, RefusesWrongPartiesMismatchesAndTheSecretariatAgreeingItself) {
  ReviewState review = AtDraft();
  absl::Status s = Agree(&review, "reviewer:GHA", OnBehalfOf("reviewer:GHA"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("state, reviewer:UGA, reviewer:FRA"), absl::string_view::npos) << s;
  EXPECT_EQ(Agree(&review, "everyone", OnBehalfOf("focal_point:KEN")).code(),
            absl::StatusCode::kInvalidArgument);
  s = Agree(&review, "state", OnBehalfOf("reviewer:FRA"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("focal_point:KEN"), absl::string_view::npos) << s;
  s = Agree(&review, "state", Context());
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_NE(s.message().find("--on-behalf-of focal_point:KEN"), absl::string_view::npos) << s;
  EXPECT_EQ(Agree(&review, "state", OnBehalfOf("focal_point:KEN"), "2016-10-01").code(),
            absl::StatusCode::kFailedPrecondition);  // before the draft
  EXPECT_EQ(review.agreements_size(), 0);
  // Before a draft there is nothing to agree to.
  const auto path = HappyPath();
  ReviewState early;
  for (size_t i = 0; i < 8; ++i) Fold(*path[i].second(), &early, i > 0);
  EXPECT_EQ(Agree(&early, "state", OnBehalfOf("focal_point:KEN")).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(DeadlinesTest, TheDeskReviewMonthRunsFromTheCirculationWhenThereIsOne) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 6; ++i) Fold(*path[i].second(), &review, i > 0);
  ASSERT_EQ(review.stage(), "checklist_submitted");
  EXPECT_EQ(*NextStepOf(review).deadline, absl::CivilDay(2016, 9, 1));
  EXPECT_EQ(DeadlineBasis(review), "checklist_on");
  ev::ChecklistCirculated circulated;
  circulated.set_on("2016-07-15");  // before the submission on 2016-08-01
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &circulated, Context()).code(),
            absl::StatusCode::kFailedPrecondition);
  circulated.set_on("2016-08-20");
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &circulated, Context()).ok());
  Fold(circulated, &review, true);
  EXPECT_EQ(review.stage(), "checklist_submitted");
  EXPECT_EQ(*NextStepOf(review).deadline, absl::CivilDay(2016, 9, 20));
  EXPECT_EQ(DeadlineBasis(review), "checklist_circulated_on");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &circulated, Context()).code(),
            absl::StatusCode::kFailedPrecondition);  // once
  ev::DeskReviewCompleted desk;
  desk.set_on("2016-08-10");  // before the circulation
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &desk, Context()).code(),
            absl::StatusCode::kFailedPrecondition);
  ev::DeskReviewTeleconferenceHeld call;
  call.set_on("2016-09-25");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &call, Context()).code(),
            absl::StatusCode::kFailedPrecondition);  // before the desk review
  desk.set_on("2016-09-15");
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &desk, Context()).ok());
  Fold(desk, &review, true);
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &call, Context()).ok());
  Fold(call, &review, true);
  EXPECT_EQ(review.desk_review_call_on(), "2016-09-25");
  EXPECT_EQ(review.stage(), "desk_review_done");
}

// Two coordinators race on one review: one success, one ABORTED, and the log holds one step.
TEST(ReviewWorkflowTest, RacingCoordinatorsGetOneSuccessAndOneAborted) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/irm_review_race_", getpid());
  std::filesystem::remove_all(dir);
  auto log = store::RocksDbEventLog::Open(dir, {});
  ASSERT_TRUE(log.ok());
  common::FakeClock clock(absl::FromUnixSeconds(1500000000));
  ReviewWorkflow workflow(log->get(), &clock);
  event::v1::EventMetadata by;
  by.mutable_actor()->set_name("coordinator");
  by.mutable_actor()->set_role("secretariat");
  const auto path = HappyPath();
  for (size_t i = 0; i < 3; ++i) {
    std::vector<std::unique_ptr<google::protobuf::Message>> events;
    events.push_back(path[i].second());
    ASSERT_TRUE(workflow.Record("KEN", 2, std::move(events), by, std::nullopt).ok());
  }
  const uint64_t decided_on = workflow.Load("KEN", 2)->revision();
  std::vector<absl::Status> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::unique_ptr<google::protobuf::Message>> events;
      events.push_back(path[3].second());
      results[t] = workflow.Record("KEN", 2, std::move(events), by, decided_on).status();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(results[0].ok() + results[1].ok(), 1) << results[0] << " / " << results[1];
  for (const absl::Status& s : results) {
    if (s.ok()) continue;
    EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
    // Whether the workflow or the log saw the conflict, a program reads the actual revision.
    std::optional<common::ErrorReason> reason = common::GetErrorReason(s);
    ASSERT_TRUE(reason.has_value()) << s;
    EXPECT_EQ(reason->reason, "WRONG_EXPECTED_REVISION");
    EXPECT_EQ(reason->metadata.back(),
              std::make_pair(std::string("actual"), absl::StrCat(decided_on + 1)));
  }
  auto review = workflow.Load("KEN", 2);
  ASSERT_TRUE(review.ok());
  EXPECT_EQ(review->revision(), decided_on + 1);
  EXPECT_EQ(review->stage(), "focal_point_appointed");
  log->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace irm::review

namespace irm::review {
namespace {

// Issue 22: outcomes from desk_review_done until the approval; ids per kind; statuses of
// recommendations only, once the summary is issued.
TEST(ReviewRulesTest, OutcomesFollowTheStagesAndStatusesFollowTheIssue) {
  const auto path = HappyPath();
  ReviewState review;
  int recorded = 0;
  for (size_t at = 0; at < path.size(); ++at) {
    Fold(*path[at].second(), &review, at > 0);
    ev::OutcomeRecorded outcome;
    outcome.set_article(9);
    outcome.set_kind("recommendation");
    outcome.set_text("t");
    outcome.set_on("2016-12-01");
    absl::Status s = PrepareStep(review, true, "KEN", 2, &outcome, Context());
    const bool open = path[at].first == "desk_review_done" || path[at].first == "dialogue_held" ||
                      path[at].first == "draft_report";
    SCOPED_TRACE(path[at].first);
    if (!open) {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
      continue;
    }
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(outcome.outcome_id(), absl::StrCat("KEN-2-R", ++recorded));
    EXPECT_EQ(outcome.chapter(), "II");
    Fold(outcome, &review, true);
  }
  ASSERT_EQ(review.outcomes_size(), 3);
  ev::RecommendationStatusChanged change;
  change.set_outcome_id("KEN-2-R2");
  change.set_status("implemented");
  change.set_on("2018-01-01");
  EXPECT_TRUE(PrepareStep(review, true, "KEN", 2, &change, Context()).ok());
  change.set_outcome_id("KEN-2-O1");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &change, Context()).code(),
            absl::StatusCode::kNotFound);
  change.set_outcome_id("KEN-2-R9");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &change, Context()).code(),
            absl::StatusCode::kNotFound);
  change.set_outcome_id("KEN-2-R1");
  change.set_status("finished");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &change, Context()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReviewRulesTest, OutcomeKindsArticlesAndNeedsAreChecked) {
  const auto path = HappyPath();
  ReviewState review;
  for (size_t i = 0; i < 7; ++i) Fold(*path[i].second(), &review, i > 0);  // desk_review_done
  ev::OutcomeRecorded good;
  good.set_article(52);
  good.set_kind("good_practice");
  good.set_text("t");
  good.set_on("2016-09-02");
  ASSERT_TRUE(PrepareStep(review, true, "KEN", 2, &good, Context()).ok());
  EXPECT_EQ(good.outcome_id(), "KEN-2-G1");
  EXPECT_EQ(good.chapter(), "V");
  Fold(good, &review, true);
  ev::OutcomeRecorded bad = good;
  bad.set_article(20);  // chapter III: cycle 1
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &bad, Context()).code(),
            absl::StatusCode::kInvalidArgument);
  bad = good;
  bad.set_kind("finding");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &bad, Context()).code(),
            absl::StatusCode::kInvalidArgument);
  bad = good;
  bad.add_needs("KEN-2-1");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &bad, Context()).code(),
            absl::StatusCode::kInvalidArgument);
  bad.set_kind("challenge");  // still no such need
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &bad, Context()).code(),
            absl::StatusCode::kInvalidArgument);
  bad = good;
  bad.set_on("2016-08-31");  // before the desk review
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &bad, Context()).code(),
            absl::StatusCode::kFailedPrecondition);
  // A recommendation's status waits for the issued summary.
  ev::RecommendationStatusChanged change;
  change.set_outcome_id("KEN-2-G1");
  change.set_status("implemented");
  EXPECT_EQ(PrepareStep(review, true, "KEN", 2, &change, Context()).code(),
            absl::StatusCode::kInvalidArgument);  // a good practice has no status
}

}  // namespace
}  // namespace irm::review
