// Review outcomes and the follow-up of recommendations (issue 22), end to end: the real irmd
// with an --auth file, driven by the real irm with each principal's token. Every refusal is
// checked to append nothing (AuthFixture::ExpectDenied compares the head).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/auth_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

class E2eOutcomeTest : public AuthFixture {
 protected:
  // KEN-2 (reviewers UGA, FRA) up to its checklist, 2016-08-03.
  void ToChecklist() {
    LaunchKen();
    Step(kKen, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
    Step(kSec, "kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"});
    Step(kKen, "checklist", {"--on", "2016-08-03"});
  }
  // ... its desk review on 2016-09-01.
  void ToDeskReview() {
    ToChecklist();
    Step(kFra, "desk-review", {"--on", "2016-09-01"});
  }
  // ... a joint meeting and the first draft, 2016-11-15.
  void ToDraft() {
    ToDeskReview();
    Step(kSec, "joint-meeting", {"--on", "2016-10-05"});
    Step(kFra, "draft", {"--on", "2016-11-15"});
  }
  // From the desk review: a joint meeting, the first draft (2016-11-15), the three
  // agreements and the approval on 2016-12-01.
  void DraftAgreeAndApprove() {
    Step(kSec, "joint-meeting", {"--on", "2016-10-05"});
    Step(kFra, "draft", {"--on", "2016-11-15"});
    Step(kKen, "agree", {"--party", "state", "--on", "2016-11-20"});
    Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-21"});
    Step(kSec, "agree",
         {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-22"});
    Step(kSec, "approve-summary", {"--on", "2016-12-01"});
  }

  static std::vector<std::string> Add(const std::string& kind, int article,
                                      const std::string& on,
                                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"outcome", "add",  "KEN",  "--cycle", "2",
                                     "--article", std::to_string(article), "--kind", kind,
                                     "--text", "Text of the " + kind, "--on", on};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  static std::vector<std::string> SetStatus(const std::string& id, const std::string& status,
                                            const std::string& on) {
    return {"recommendation", "status", id, "--status", status, "--on", on};
  }
  json Status(const std::string& token = kSec) {
    return JsonAs(token, {"status", "KEN", "--cycle", "2"});
  }
};

TEST_F(E2eOutcomeTest, OutcomesAreRecordedFromTheDeskReviewUntilTheApproval) {
  ToChecklist();
  ExpectDenied(kFra, Add("recommendation", 9, "2016-08-20"), "FAILED_PRECONDITION",
               "from the desk review, stage desk_review_done");
  Step(kFra, "desk-review", {"--on", "2016-09-01"});

  // Ids are per kind, like need ids: the review, the kind's letter, the number.
  EXPECT_EQ(JsonAs(kFra, Add("recommendation", 9, "2016-09-05"))["outcome_id"], "KEN-2-R1");
  EXPECT_EQ(JsonAs(kFra, Add("recommendation", 52, "2016-09-05"))["outcome_id"], "KEN-2-R2");
  EXPECT_EQ(JsonAs(kSec, Add("observation", 5, "2016-09-06"))["outcome_id"], "KEN-2-O1");
  EXPECT_EQ(JsonAs(kSec, Add("good_practice", 6, "2016-09-06"))["outcome_id"], "KEN-2-G1");
  IrmResult text = As(kFra, Add("recommendation", 10, "2016-09-07"));
  ASSERT_EQ(text.exit_code, 0) << text;
  EXPECT_THAT(text.out, HasSubstr("review-KEN-2: OutcomeRecorded KEN-2-R3 recorded at position"));

  // Who: the reviewing States' experts and the secretariat; not the State, not others.
  ExpectDenied(kKen, Add("recommendation", 9, "2016-09-08"), "PERMISSION_DENIED", "add_outcome");
  ExpectDenied(kBra, Add("recommendation", 9, "2016-09-08"), "PERMISSION_DENIED",
               "acts only on reviews BRA was drawn for");
  ExpectDenied(kObs, Add("recommendation", 9, "2016-09-08"), "PERMISSION_DENIED", "never write");
  ExpectDenied(kAud, Add("recommendation", 9, "2016-09-08"), "PERMISSION_DENIED", "never write");
  // What: an article of the cycle, a kind, a text; needs on challenges only, of this review.
  ExpectDenied(kFra, Add("recommendation", 20, "2016-09-08"), "INVALID_ARGUMENT", "article");
  ExpectDenied(kFra, Add("finding", 9, "2016-09-08"), "INVALID_ARGUMENT",
               "observation, recommendation, good_practice, challenge");
  ExpectDenied(kFra, {"outcome", "add", "KEN", "--cycle", "2", "--article", "9", "--kind",
                      "recommendation", "--on", "2016-09-08"},
               "INVALID_ARGUMENT", "--text");
  ExpectDenied(kFra, Add("challenge", 9, "2016-09-08", {"--needs", "KEN-2-1"}),
               "INVALID_ARGUMENT", "no need 'KEN-2-1' in review-KEN-2; it has 0 needs");
  JsonAs(kKen, {"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
                "capacity_building", "--text", "Training", "--on", "2016-09-08"});
  ExpectDenied(kFra, Add("recommendation", 9, "2016-09-09", {"--needs", "KEN-2-1"}),
               "INVALID_ARGUMENT", "a recommendation names none");
  EXPECT_EQ(JsonAs(kFra, Add("challenge", 9, "2016-09-09", {"--needs", "KEN-2-1"}))["outcome_id"],
            "KEN-2-C1");
  // When: not dated before the desk review.
  ExpectDenied(kFra, Add("observation", 9, "2016-08-30"), "FAILED_PRECONDITION",
               "before the desk review");

  json status = Status();
  ASSERT_EQ(status["outcomes"].size(), 6u) << status;
  EXPECT_EQ(status["outcomes"][5]["needs"], json::array({"KEN-2-1"}));
  EXPECT_EQ(status["outcomes"][5]["chapter"], "II");
  EXPECT_EQ(status["outcome_counts"]["recommendation"], 3);
  EXPECT_EQ(status["recommendation_statuses"]["not_started"], 3);
  EXPECT_EQ(status["implementation_rate"], 0.0);

  // Up to the approval, then refused: the approved summary carries the outcomes.
  JsonAs(kFra, Add("observation", 11, "2016-10-01"));
  DraftAgreeAndApprove();
  ExpectDenied(kFra, Add("recommendation", 9, "2016-12-02"), "FAILED_PRECONDITION",
               "approved on 2016-12-01");
  ExpectDenied(kSec, Add("recommendation", 9, "2016-12-02"), "FAILED_PRECONDITION",
               "is at stage summary_approved");
}

TEST_F(E2eOutcomeTest, AnOutcomeAfterAnAgreementVoidsTheAgreements) {
  ToDraft();
  Step(kKen, "agree", {"--party", "state", "--on", "2016-11-20"});
  Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-21"});
  ASSERT_EQ(Status()["agreements"].size(), 2u);
  JsonAs(kFra, Add("recommendation", 9, "2016-11-22"));
  json status = Status();
  EXPECT_EQ(status["agreements"], json::array()) << status;
  EXPECT_EQ(status["drafts"], 1);  // no new draft: the same draft, changed
  IrmResult read = As(kAud, {"--json", "read", "review-KEN-2"});
  ASSERT_EQ(read.exit_code, 0) << read;
  EXPECT_THAT(read.out, HasSubstr(R"("agreements_voided":["state","reviewer:FRA"])"));
  Step(kSec, "agree",
       {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-23"});
  ExpectDenied(kSec, {"review", "approve-summary", "KEN", "--cycle", "2", "--on", "2016-12-01"},
               "FAILED_PRECONDITION", "not agreed yet by the State under review (KEN), reviewer FRA");
  // The parties agree again to the draft as it now stands.
  Step(kKen, "agree", {"--party", "state", "--on", "2016-11-24"});
  Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-24"});
  EXPECT_EQ(Step(kSec, "approve-summary", {"--on", "2016-12-01"})["stage"], "summary_approved");
}

TEST_F(E2eOutcomeTest, RecommendationStatusesFollowTheIssuedSummary) {
  ToDeskReview();
  JsonAs(kFra, Add("recommendation", 9, "2016-09-05"));   // R1
  JsonAs(kFra, Add("recommendation", 10, "2016-09-05"));  // R2
  JsonAs(kFra, Add("recommendation", 52, "2016-09-05"));  // R3
  JsonAs(kFra, Add("good_practice", 12, "2016-09-05"));   // G1
  DraftAgreeAndApprove();
  ExpectDenied(kKen, SetStatus("KEN-2-R1", "implemented", "2016-12-05"), "FAILED_PRECONDITION",
               "once the executive summary is issued");
  Step(kSec, "issue-summary", {"--on", "2017-01-10"});

  // Who: the State's focal point and the secretariat.
  ExpectDenied(kFra, SetStatus("KEN-2-R1", "implemented", "2018-01-01"), "PERMISSION_DENIED",
               "recommendation_status");
  ExpectDenied(kUga, SetStatus("KEN-2-R1", "implemented", "2018-01-01"), "PERMISSION_DENIED",
               "acts only for UGA");
  ExpectDenied(kObs, SetStatus("KEN-2-R1", "implemented", "2018-01-01"), "PERMISSION_DENIED",
               "never write");
  // What: a status of the list, a recommendation the review has, a date.
  ExpectDenied(kKen, SetStatus("KEN-2-R1", "done", "2018-01-01"), "INVALID_ARGUMENT",
               "not_started, partially_implemented, implemented, no_longer_relevant");
  ExpectDenied(kKen, SetStatus("KEN-2-R9", "implemented", "2018-01-01"), "NOT_FOUND",
               "no outcome KEN-2-R9 in review-KEN-2; it has 3 recommendations");
  ExpectDenied(kKen, SetStatus("KEN-2-G1", "implemented", "2018-01-01"), "INVALID_ARGUMENT",
               "recommendations only");
  ExpectDenied(kKen, SetStatus("KEN-2-X1", "implemented", "2018-01-01"), "INVALID_ARGUMENT",
               "KEN-2-R7");
  ExpectDenied(kKen, {"recommendation", "status", "KEN-2-R1", "--status", "implemented"},
               "INVALID_ARGUMENT", "--on DATE is required");
  ExpectDenied(kKen, SetStatus("KEN-2-R1", "implemented", "2017-01-09"), "FAILED_PRECONDITION",
               "before the executive summary's issue (2017-01-10)");

  // A recommendation's history is the sequence of its changes.
  JsonAs(kKen, SetStatus("KEN-2-R1", "partially_implemented", "2018-03-01"));
  JsonAs(kSec, {"recommendation", "status", "KEN-2-R1", "--status", "implemented", "--on",
                "2019-06-30", "--evidence", "Procurement law amended", "--on-behalf-of",
                "focal_point:KEN"});
  JsonAs(kKen, SetStatus("KEN-2-R2", "partially_implemented", "2018-03-01"));
  JsonAs(kKen, SetStatus("KEN-2-R3", "no_longer_relevant", "2018-03-01"));
  ExpectDenied(kKen, SetStatus("KEN-2-R1", "partially_implemented", "2019-06-01"),
               "FAILED_PRECONDITION", "before its latest status change (implemented)");

  json status = Status();
  EXPECT_EQ(status["outcomes"][0]["status"], "implemented");
  ASSERT_EQ(status["outcomes"][0]["history"].size(), 2u) << status;
  EXPECT_EQ(status["outcomes"][0]["history"][1]["evidence"], "Procurement law amended");
  EXPECT_EQ(status["recommendation_statuses"]["implemented"], 1);
  EXPECT_EQ(status["recommendation_statuses"]["partially_implemented"], 1);
  EXPECT_EQ(status["recommendation_statuses"]["no_longer_relevant"], 1);
  // (1 + 1/2) / (3 - 1): R3 no longer relevant leaves R1 and R2.
  EXPECT_DOUBLE_EQ(status["implementation_rate"].get<double>(), 0.75);
  IrmResult card = As(kSec, {"status", "KEN", "--cycle", "2"});
  EXPECT_THAT(card.out, HasSubstr("3 recommendations, 0 observations, 1 good practices"));
  EXPECT_THAT(card.out, HasSubstr("implementation rate 75.0 %"));
  // As of a date, the statuses of then.
  json then = JsonAs(kSec, {"status", "KEN", "--cycle", "2", "--as-of", "2018-12-31"});
  EXPECT_EQ(then["recommendation_statuses"]["implemented"], 0);
  EXPECT_DOUBLE_EQ(then["implementation_rate"].get<double>(), 0.5);
}

}  // namespace
}  // namespace irm::tests
