// Four eyes on the final report and the optional steps (issue 21 sections 4-5), end to end:
// the real irmd with an --auth file, driven by the real irm with each principal's token.
// Every refusal is checked to append nothing (AuthFixture::ExpectDenied compares the head).
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
using ::testing::Not;

class E2eAgreementTest : public AuthFixture {
 protected:
  // KEN-2 launched (reviewers UGA, FRA), up to its checklist submitted on 2016-08-03.
  void ToChecklist() {
    LaunchKen();
    Step(kKen, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
    Step(kSec, "kickoff",
         {"--checklist-due", "2016-08-01", "--division", "UGA: chapter II; FRA: chapter V",
          "--on", "2016-07-01"});
    Step(kKen, "checklist", {"--on", "2016-08-03"});
  }

  // ... and on to the first draft, circulated on 2016-11-15.
  void ToDraft() {
    ToChecklist();
    Step(kFra, "desk-review", {"--on", "2016-09-01"});
    Step(kSec, "joint-meeting", {"--on", "2016-10-05"});
    Step(kFra, "draft", {"--on", "2016-11-15"});
  }

  json Status() { return JsonAs(kSec, {"status", "KEN", "--cycle", "2"}); }

  std::vector<std::string> Review(const std::string& step, std::vector<std::string> extra) {
    std::vector<std::string> args = {"review", step, "KEN", "--cycle", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

TEST_F(E2eAgreementTest, ApprovalIsRefusedUntilTheStateAndBothReviewersAgreed) {
  ToDraft();
  const std::vector<std::string> approve = Review("approve-summary", {"--on", "2016-12-01"});
  ExpectDenied(kSec, approve, "FAILED_PRECONDITION",
               "not agreed yet by the State under review (KEN), reviewer UGA, reviewer FRA");
  // The focal point agrees for its State; the approval now waits for the two reviewers only.
  Step(kKen, "agree", {"--party", "state", "--on", "2016-11-20"});
  IrmResult refused = As(kSec, approve);
  EXPECT_NE(refused.exit_code, 0) << refused;
  EXPECT_THAT(refused.err, HasSubstr("not agreed yet by reviewer UGA, reviewer FRA;")) << refused;
  EXPECT_THAT(refused.err, Not(HasSubstr("(KEN)"))) << refused;
  // Reviewer FRA agrees itself; UGA has no principal here: the secretariat records its
  // agreement on its behalf.
  Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-22"});
  ExpectDenied(kSec, approve, "FAILED_PRECONDITION", "not agreed yet by reviewer UGA;");
  Step(kSec, "agree",
       {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-25"});
  json status = Status();
  ASSERT_EQ(status["agreements"].size(), 3u) << status;
  EXPECT_EQ(status["agreements"][2]["party"], "reviewer:UGA");
  EXPECT_EQ(status["agreements"][2]["on_behalf_of"], "reviewer:UGA");
  EXPECT_TRUE(status["agreements"][0]["on_behalf_of"].is_null()) << status;
  // The approval is the secretariat's, and not dated before the last agreement.
  ExpectDenied(kKen, approve, "PERMISSION_DENIED", "approve_summary");
  ExpectDenied(kSec, Review("approve-summary", {"--on", "2016-11-24"}), "FAILED_PRECONDITION",
               "the agreement of reviewer:UGA");
  EXPECT_EQ(JsonAs(kSec, approve)["stage"], "summary_approved");

  // The agreements are events of their own, shown by irm history with who recorded them.
  IrmResult history = As(kAud, {"history", "KEN", "--cycle", "2"});
  ASSERT_EQ(history.exit_code, 0) << history;
  int agreed = 0;
  for (const std::string& line : Lines(history.out)) agreed += line.find("ReportAgreed") != std::string::npos;
  EXPECT_EQ(agreed, 3) << history.out;
  EXPECT_THAT(history.out, HasSubstr("reviewer:UGA"));
  // The event itself names the party and, when recorded for it, on whose behalf.
  IrmResult read = As(kAud, {"--json", "read", "review-KEN-2"});
  ASSERT_EQ(read.exit_code, 0) << read;
  bool found = false;
  for (const std::string& line : Lines(read.out)) {
    json event = json::parse(line);
    if (event["type"] != "ReportAgreed" || event["decoded"]["party"] != "reviewer:UGA") continue;
    found = true;
    EXPECT_EQ(event["decoded"]["on_behalf_of"], "reviewer:UGA") << line;
    EXPECT_EQ(event["decoded"]["draft"], 1) << line;
    EXPECT_EQ(event["metadata"]["on_behalf_of"], "reviewer:UGA") << line;
    EXPECT_EQ(event["metadata"]["actor"]["role"], "secretariat") << line;
  }
  EXPECT_TRUE(found) << read.out;
}

TEST_F(E2eAgreementTest, ANewDraftVoidsTheEarlierAgreements) {
  ToDraft();
  Step(kKen, "agree", {"--party", "state", "--on", "2016-11-20"});
  Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-21"});
  ExpectDenied(kKen, Review("agree", {"--party", "state", "--on", "2016-11-22"}),
               "FAILED_PRECONDITION", "already agreed to draft 1");
  // The reviewers change the draft: what was agreed no longer holds.
  json redrafted = Step(kFra, "draft", {"--on", "2016-11-23"});
  EXPECT_EQ(redrafted["stage"], "draft_report");
  json status = Status();
  EXPECT_EQ(status["drafts"], 2);
  EXPECT_EQ(status["agreements"], json::array());
  Step(kSec, "agree",
       {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-24"});
  ExpectDenied(kSec, Review("approve-summary", {"--on", "2016-12-01"}), "FAILED_PRECONDITION",
               "(draft 2) are not agreed yet by the State under review (KEN), reviewer FRA");
  Step(kKen, "agree", {"--party", "state", "--on", "2016-11-25"});
  Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-26"});
  EXPECT_EQ(Step(kSec, "approve-summary", {"--on", "2016-12-01"})["stage"], "summary_approved");
  // The status text said who was awaited before; after approval the stage moved on.
  EXPECT_EQ(Status()["stage"], "summary_approved");
}

TEST_F(E2eAgreementTest, WrongPartiesAndMismatchedOnBehalfOfAreRefused) {
  ToDraft();
  // A principal agrees only for its own party.
  ExpectDenied(kKen, Review("agree", {"--party", "reviewer:FRA"}), "PERMISSION_DENIED",
               "--party state");
  ExpectDenied(kFra, Review("agree", {"--party", "state"}), "PERMISSION_DENIED",
               "--party reviewer:FRA");
  ExpectDenied(kUga, Review("agree", {"--party", "state"}), "PERMISSION_DENIED",
               "focal_point:UGA");
  ExpectDenied(kBra, Review("agree", {"--party", "reviewer:BRA"}), "PERMISSION_DENIED",
               "reviewers [UGA, FRA]");
  ExpectDenied(kObs, Review("agree", {"--party", "state"}), "PERMISSION_DENIED", "never write");
  // The secretariat never agrees itself, and records only for the party named.
  ExpectDenied(kSec, Review("agree", {"--party", "state"}), "PERMISSION_DENIED",
               "--on-behalf-of focal_point:KEN");
  ExpectDenied(kSec, Review("agree", {"--party", "state", "--on-behalf-of", "reviewer:FRA"}),
               "INVALID_ARGUMENT", "does not match --party state");
  ExpectDenied(kSec,
               Review("agree", {"--party", "reviewer:UGA", "--on-behalf-of", "focal_point:KEN"}),
               "INVALID_ARGUMENT", "recorded on behalf of reviewer:UGA");
  ExpectDenied(kKen, Review("agree", {"--party", "state", "--on-behalf-of", "focal_point:UGA"}),
               "INVALID_ARGUMENT", "does not match --party state");
  // Only the review's parties agree.
  ExpectDenied(kSec,
               Review("agree", {"--party", "reviewer:GHA", "--on-behalf-of", "reviewer:GHA"}),
               "INVALID_ARGUMENT", "GHA is not a reviewer of review-KEN-2");
  ExpectDenied(kSec, Review("agree", {"--party", "FRA", "--on-behalf-of", "reviewer:FRA"}),
               "INVALID_ARGUMENT", "reviewer:CODE");
  // Not before the draft it agrees to.
  ExpectDenied(kKen, Review("agree", {"--party", "state", "--on", "2016-11-01"}),
               "FAILED_PRECONDITION", "before the draft");
  EXPECT_EQ(Status()["agreements"], json::array());
}

TEST_F(E2eAgreementTest, AgreementsNeedADraft) {
  ToChecklist();
  ExpectDenied(kKen, Review("agree", {"--party", "state", "--on", "2016-08-04"}),
               "FAILED_PRECONDITION", "ReportAgreed is not allowed now");
}

TEST_F(E2eAgreementTest, TheDeskReviewMonthRunsFromTheCirculatedChecklist) {
  ToChecklist();
  json status = Status();
  EXPECT_EQ(status["division"], "UGA: chapter II; FRA: chapter V");
  EXPECT_EQ(status["next_step"], "DeskReviewCompleted");
  EXPECT_EQ(status["next_deadline"], "2016-09-03");  // submission + 1 month
  // Circulating is the secretariat's, after the submission, once.
  ExpectDenied(kKen, Review("circulate-checklist", {"--on", "2016-08-20"}), "PERMISSION_DENIED",
               "circulate_checklist");
  ExpectDenied(kSec, Review("circulate-checklist", {"--on", "2016-08-01"}),
               "FAILED_PRECONDITION", "before the checklist's submission");
  Step(kSec, "circulate-checklist", {"--on", "2016-08-20"});
  status = Status();
  EXPECT_EQ(status["stage"], "checklist_submitted");
  EXPECT_EQ(status["checklist_circulated_on"], "2016-08-20");
  EXPECT_EQ(status["next_deadline"], "2016-09-20");  // circulation + 1 month
  ExpectDenied(kSec, Review("circulate-checklist", {"--on", "2016-08-21"}),
               "FAILED_PRECONDITION", "already circulated on 2016-08-20");
  // Not overdue on 2016-09-10 any more (it was, counted from the submission).
  std::vector<json> overdue = [&] {
    std::vector<json> rows;
    IrmResult r = As(kSec, {"--json", "reviews", "--cycle", "2", "--overdue", "--as-of",
                            "2016-09-10"});
    EXPECT_EQ(r.exit_code, 0) << r;
    for (const std::string& line : Lines(r.out)) rows.push_back(json::parse(line));
    return rows;
  }();
  EXPECT_TRUE(overdue.empty()) << overdue.size();
  IrmResult explain =
      As(kSec, {"history", "KEN", "--cycle", "2", "--explain", "next_deadline"});
  ASSERT_EQ(explain.exit_code, 0) << explain;
  EXPECT_THAT(explain.out, HasSubstr("checklist_circulated_on"));
  IrmResult text = As(kSec, {"status", "KEN", "--cycle", "2"});
  EXPECT_THAT(text.out, HasSubstr("circulated 2016-08-20"));
  EXPECT_THAT(text.out, HasSubstr("UGA: chapter II; FRA: chapter V"));

  // The desk review is not dated before the circulation; its call follows it.
  ExpectDenied(kFra, Review("desk-review", {"--on", "2016-08-15"}), "FAILED_PRECONDITION",
               "the checklist's circulation");
  ExpectDenied(kSec, Review("desk-review-call", {"--on", "2016-09-08"}), "FAILED_PRECONDITION",
               "DeskReviewTeleconferenceHeld is not allowed now");
  Step(kFra, "desk-review", {"--on", "2016-09-01"});
  ExpectDenied(kSec, Review("desk-review-call", {"--on", "2016-08-30"}), "FAILED_PRECONDITION",
               "before the desk review");
  Step(kSec, "desk-review-call", {"--on", "2016-09-08"});
  status = Status();
  EXPECT_EQ(status["stage"], "desk_review_done");
  EXPECT_EQ(status["desk_review_call_on"], "2016-09-08");
  ExpectDenied(kSec, Review("desk-review-call", {"--on", "2016-09-09"}), "FAILED_PRECONDITION",
               "already held on 2016-09-08");
  IrmResult history = As(kSec, {"history", "KEN", "--cycle", "2"});
  EXPECT_THAT(history.out, HasSubstr("ChecklistCirculated"));
  EXPECT_THAT(history.out, HasSubstr("DeskReviewTeleconferenceHeld"));
}

}  // namespace
}  // namespace irm::tests
