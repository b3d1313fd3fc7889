// End-to-end tests of the review workflow: the real irmd on a temporary data folder, driven
// by the real irm client (`irm review ...`, `irm need ...`, `irm status`, `irm reviews`,
// `irm sample load`). Each test starts its own server and stops it with SIGTERM.
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class E2eReviewTest : public ServedLogTest {
 protected:
  E2eReviewTest() : ServedLogTest("irm-e2e-review") {}

  // `irm review STEP KEN --cycle 2 EXTRA...`; the result object.
  json Step(const std::string& step, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"review", step, "KEN", "--cycle", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return One(args);
  }

  json Status() { return One({"status", "KEN", "--cycle", "2"}); }

  // Expects `args` to fail with one stderr line starting with `prefix`, appending nothing.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& prefix,
                     const std::string& mentions) {
    uint64_t head = Head();
    IrmResult result = Irm(args);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, StartsWith(prefix)) << result;
    EXPECT_THAT(result.err, HasSubstr(mentions)) << result;
    EXPECT_EQ(Lines(result.err).size(), 1u) << result;
    EXPECT_TRUE(result.out.empty()) << result;
    EXPECT_EQ(Head(), head) << "a refused command appended";
  }
};

TEST_F(E2eReviewTest, OneReviewFromScheduleToCompleted) {
  json scheduled = Step("schedule", {"--year", "1", "--on", "2015-11-06"});
  EXPECT_EQ(scheduled["stream"], "review-KEN-2");
  EXPECT_EQ(scheduled["event_type"], "ReviewScheduled");
  EXPECT_EQ(scheduled["stage"], "scheduled");
  json status = Status();
  EXPECT_EQ(status["state"], "KEN");
  EXPECT_EQ(status["cycle"], 2);
  EXPECT_EQ(status["region"], "african");
  EXPECT_EQ(status["year"], 1);
  EXPECT_EQ(status["stage"], "scheduled");
  EXPECT_EQ(status["reviewers"], json::array());
  EXPECT_EQ(status["overdue"], false);
  EXPECT_EQ(status["needs"], 0);
  EXPECT_TRUE(status["dialogue"].is_null()) << status;

  EXPECT_EQ(Step("assign-reviewers", {"--reviewers", "UGA,FRA", "--on", "2016-01-15"})["stage"],
            "reviewers_drawn");
  EXPECT_EQ(Status()["reviewers"], json::parse(R"(["UGA","FRA"])"));
  json launched = Step("launch", {"--on", "2016-06-01"});
  EXPECT_EQ(launched["stage"], "launched");
  EXPECT_EQ(Status()["launched_on"], "2016-06-01");
  EXPECT_EQ(Step("focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"})["stage"],
            "focal_point_appointed");
  EXPECT_EQ(Step("kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"})["stage"],
            "kickoff_held");
  EXPECT_EQ(Status()["next_deadline"], "2016-08-01");

  // Human output: the one result line.
  IrmResult checklist =
      Irm({"review", "checklist", "KEN", "--cycle", "2", "--publish", "--on", "2016-08-03"});
  ASSERT_EQ(checklist.exit_code, 0) << checklist;
  EXPECT_THAT(checklist.out, StartsWith("review-KEN-2: ChecklistSubmitted recorded at position"));
  EXPECT_THAT(checklist.out,
              HasSubstr("stage checklist_submitted, next DeskReviewCompleted by 2016-09-03"));
  status = Status();
  EXPECT_EQ(status["stage"], "checklist_submitted");
  EXPECT_EQ(status["next_step"], "DeskReviewCompleted");
  EXPECT_EQ(status["overdue"], true);  // as of today, 2016-09-03 is long past
  std::vector<json> then = IrmJson({"reviews", "--cycle", "2", "--as-of", "2016-08-10"});
  ASSERT_EQ(then.size(), 1u);
  EXPECT_EQ(then[0]["overdue"], false);

  // Skipping the desk review is refused, naming what is allowed next; nothing is appended.
  ExpectRefused({"review", "draft", "KEN", "--cycle", "2", "--on", "2016-08-10"},
                "FAILED_PRECONDITION:", "DeskReviewCompleted");

  EXPECT_EQ(Step("desk-review", {"--on", "2016-09-01"})["stage"], "desk_review_done");
  EXPECT_EQ(Step("visit", {"--from", "2016-10-03", "--to", "2016-10-07"})["stage"],
            "dialogue_held");
  // Lists fold by business date too: on 2016-08-10 the review was at its checklist.
  std::vector<json> earlier = IrmJson({"reviews", "--cycle", "2", "--as-of", "2016-08-10"});
  ASSERT_EQ(earlier.size(), 1u);
  EXPECT_EQ(earlier[0]["stage"], "checklist_submitted");
  EXPECT_TRUE(IrmJson({"reviews", "--cycle", "2", "--as-of", "2015-11-05"}).empty())
      << "not scheduled yet on that day";
  status = Status();
  EXPECT_EQ(status["dialogue"], "country_visit");
  EXPECT_EQ(status["visit_from"], "2016-10-03");
  EXPECT_EQ(status["visit_to"], "2016-10-07");
  EXPECT_EQ(Step("draft", {"--on", "2016-11-15"})["stage"], "draft_report");

  // Article 15 is in chapter III, reviewed in cycle 1 only.
  ExpectRefused({"need", "add", "KEN", "--cycle", "2", "--article", "15", "--category",
                 "capacity_building", "--text", "Training of investigators"},
                "INVALID_ARGUMENT:", "15");
  json need = One({"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
                   "capacity_building", "--text", "Training of procurement officials", "--on",
                   "2016-11-20"});
  EXPECT_EQ(need["need_id"], "KEN-2-1");
  EXPECT_EQ(Status()["needs"], 1);

  // Four eyes: the State under review and both reviewing States agree first.
  Step("agree", {"--party", "state", "--on-behalf-of", "focal_point:KEN", "--on", "2016-11-25"});
  Step("agree", {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-26"});
  Step("agree", {"--party", "reviewer:FRA", "--on-behalf-of", "reviewer:FRA", "--on", "2016-11-28"});
  EXPECT_EQ(Step("approve-summary", {"--on", "2016-12-01"})["stage"], "summary_approved");
  EXPECT_EQ(Step("issue-summary", {"--on", "2017-01-15"})["stage"], "completed");
  One({"need", "status", "KEN-2-1", "--status", "addressed", "--provider", "UNODC"});
  status = Status();
  EXPECT_EQ(status["stage"], "completed");
  EXPECT_TRUE(status["next_step"].is_null()) << status;
  EXPECT_EQ(status["overdue"], false);
  EXPECT_EQ(status["needs"], 1);
  EXPECT_EQ(status["reviewers"], json::parse(R"(["UGA","FRA"])"));

  std::vector<json> listed = IrmJson({"reviews", "--cycle", "2"});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["state"], "KEN");
  EXPECT_EQ(listed[0]["stage"], "completed");
  EXPECT_EQ(listed[0]["needs"], 1);
  EXPECT_TRUE(IrmJson({"reviews", "--cycle", "1"}).empty());

  // The review as it was just after the launch.
  json past = One({"status", "KEN", "--cycle", "2", "--as-of",
                   std::to_string(launched["position"].get<uint64_t>())});
  EXPECT_EQ(past["stage"], "launched");
  EXPECT_EQ(past["needs"], 0);

  IrmResult card = Irm({"status", "KEN"});
  ASSERT_EQ(card.exit_code, 0) << card;
  EXPECT_THAT(card.out, HasSubstr("Kenya"));
  EXPECT_THAT(card.out, HasSubstr("completed"));
}

TEST_F(E2eReviewTest, UnknownStateIsInvalidArgumentNamingIt) {
  ExpectRefused({"review", "schedule", "XYZ", "--cycle", "2", "--year", "1"},
                "INVALID_ARGUMENT:", "XYZ");
}

TEST_F(E2eReviewTest, MalformedInputIsAUsageError) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"review", "launch", "KEN", "--cycle", "3"},
           {"review", "launch", "KEN", "--cycle", "2", "--on", "2016-02-30"},
           {"review", "schedule", "KEN", "--cycle", "2", "--year", "one"},
           {"need", "status", "KEN-2", "--status", "addressed"}}) {
    IrmResult result = Irm(args);
    EXPECT_EQ(result.exit_code, 2) << result;
    EXPECT_THAT(result.err, StartsWith("INVALID_ARGUMENT:")) << result;
  }
}

TEST_F(E2eReviewTest, SampleLoadIsIdempotent) {
  IrmResult first = Irm({"sample", "load", "--seed", "7"});
  ASSERT_EQ(first.exit_code, 0) << first;
  EXPECT_THAT(first.err, HasSubstr("SYNTHETIC"));
  uint64_t head = Head();
  EXPECT_GT(head, 3000u);
  std::vector<json> cycle1 = IrmJson({"reviews", "--cycle", "1"});
  std::vector<json> cycle2 = IrmJson({"reviews", "--cycle", "2"});
  EXPECT_GE(cycle1.size(), 180u);
  EXPECT_EQ(cycle1.size(), cycle2.size());
  int completed1 = 0, completed2 = 0, not_launched2 = 0, needs = 0;
  for (const json& review : cycle1) {
    completed1 += review["stage"] == "completed";
    needs += review["needs"].get<int>();
  }
  for (const json& review : cycle2) {
    completed2 += review["stage"] == "completed";
    not_launched2 += review["stage"] == "reviewers_drawn";
  }
  EXPECT_GT(completed1, static_cast<int>(cycle1.size()) * 8 / 10);
  EXPECT_LT(completed1, static_cast<int>(cycle1.size()));
  EXPECT_GT(completed2, static_cast<int>(cycle2.size()) / 5);
  EXPECT_LT(completed2, static_cast<int>(cycle2.size()) / 2);
  EXPECT_GT(not_launched2, 0);
  EXPECT_GT(needs, 0);
  // On the sample's last day most unfinished cycle-2 reviews are on schedule: a few overdue.
  const int in_progress2 = static_cast<int>(cycle2.size()) - completed2 - not_launched2;
  std::vector<json> overdue2 =
      IrmJson({"reviews", "--cycle", "2", "--overdue", "--as-of", "2024-06-28"});
  EXPECT_GT(overdue2.size(), 0u);
  EXPECT_LT(static_cast<int>(overdue2.size()), in_progress2 / 4) << "too many overdue";

  // The sample's draws take place at its (synthetic) IRG sessions, and its executive
  // summaries carry document symbols (issue 21 section 3).
  std::vector<json> sessions = IrmJson({"irg", "sessions"});
  EXPECT_GE(sessions.size(), 15u);
  size_t draws = 0, symbols = 0;
  for (const json& session : sessions) {
    draws += session["draws"].size();
    for (const json& summary : session["summaries"]) symbols += summary["symbol"].is_string();
  }
  EXPECT_GE(draws, 7u) << "draw-years and the reviewers of each year, at their sessions";
  EXPECT_GT(symbols, static_cast<size_t>(completed1)) << "summaries with symbols";

  // Issue 22: every completed review has its outcomes (several recommendations), labelled
  // synthetic, and some recommendations were followed up.
  for (const json& review : cycle2) {
    if (review["stage"] != "completed") continue;
    EXPECT_GE(review["outcome_counts"]["recommendation"].get<int>(), 2) << review["state"];
  }
  json one = IrmJson({"status", cycle2[0]["state"].get<std::string>(), "--cycle", "2"})[0];
  for (const json& outcome : one["outcomes"]) {
    EXPECT_THAT(outcome["text"].get<std::string>(), ::testing::StartsWith("Synthetic: "));
  }
  std::vector<json> outcomes = IrmJson({"report", "outcomes", "--by", "status"});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_GT(outcomes[0]["total"].get<int>(), completed1 + completed2);
  EXPECT_GT(outcomes[0]["by_status"]["implemented"].get<int>(), 0);
  EXPECT_GT(outcomes[0]["by_status"]["partially_implemented"].get<int>(), 0);
  EXPECT_GT(outcomes[0]["by_status"]["not_started"].get<int>(), 0);

  IrmResult second = Irm({"sample", "load", "--seed", "7"});
  ASSERT_EQ(second.exit_code, 0) << second;
  EXPECT_THAT(second.out, HasSubstr(" 0 events appended"));
  EXPECT_EQ(Head(), head) << "the second load appended events";

  IrmResult pipeline = Irm({"pipeline"});
  ASSERT_EQ(pipeline.exit_code, 0) << pipeline;
  EXPECT_THAT(pipeline.out, HasSubstr("completed"));
}

// Four `irm lots draw` runs for different years at once: draws are decided one at a time
// against everything recorded before, so no State reviews more than three others.
TEST_F(E2eReviewTest, ConcurrentReviewerDrawsNeverGiveAStateAFourthReview) {
  IrmResult years =
      Irm({"lots", "draw-years", "--cycle", "2", "--seed", "42", "--on", "2015-11-06"});
  ASSERT_EQ(years.exit_code, 0) << years;
  std::vector<IrmResult> draws(4);
  std::vector<std::thread> threads;
  for (int year = 1; year <= 4; ++year) {
    threads.emplace_back([this, year, &draws] {
      const std::string y = std::to_string(year);
      draws[year - 1] = Irm({"lots", "draw", "--cycle", "2", "--year", y, "--seed", y, "--on",
                             "2016-01-15"});
    });
  }
  for (std::thread& t : threads) t.join();
  for (const IrmResult& draw : draws) ASSERT_EQ(draw.exit_code, 0) << draw;

  std::map<std::string, int> reviews_by;
  int drawn = 0;
  for (const json& review : IrmJson({"reviews", "--cycle", "2"})) {
    for (const json& reviewer : review["reviewers"]) {
      ++reviews_by[reviewer.get<std::string>()];
      ++drawn;
    }
  }
  EXPECT_GT(drawn, 300) << "the four years were not drawn";
  for (const auto& [state, count] : reviews_by) {
    EXPECT_LE(count, 3) << state << " reviews " << count << " States in cycle 2";
  }
}

}  // namespace
}  // namespace irm::tests
