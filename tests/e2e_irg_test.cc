// End-to-end tests of issue 21 section 3 (IRG sessions are records) and of the deferral rule
// of section 1, through the real irmd and the real irm: `irm irg session add`, `irm irg
// sessions`, `irm lots draw[-years] --session N [--outside-session REASON]`,
// `irm review issue-summary --symbol` (unique across the log, also under concurrent calls),
// `irm review defer` releasing the reviewers, and an old-style ReviewDeferred (imported, as an
// older irmd wrote it) keeping them when replayed. Every refusal leaves the head unchanged.
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/auth_fixture.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class E2eIrgTest : public ServedLogTest {
 protected:
  E2eIrgTest() : ServedLogTest("irm-e2e-irg") {}

  // Expects `args` to fail with one stderr line starting with `prefix` and mentioning
  // `mentions`, appending nothing.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& prefix,
                     const std::string& mentions) {
    const uint64_t head = Head();
    IrmResult result = Irm(args);
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, StartsWith(prefix)) << result;
    EXPECT_THAT(result.err, HasSubstr(mentions)) << result;
    EXPECT_EQ(Lines(result.err).size(), 1u) << result;
    EXPECT_EQ(Head(), head) << "a refused command appended";
  }

  void Session(int number, const std::string& from, const std::string& to) {
    IrmResult r = Irm({"irg", "session", "add", "--number", std::to_string(number), "--from",
                       from, "--to", to, "--place", "Vienna"});
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  // `irm review STEP STATE --cycle 2 EXTRA...`, expecting success.
  json Step(const std::string& state, const std::string& step,
            const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"review", step, state, "--cycle", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return One(args);
  }

  // Takes review STATE-2 to summary_approved with `reviewers` (slot 1 first).
  void Approve(const std::string& state, const std::string& reviewers) {
    Step(state, "schedule", {"--year", "1", "--on", "2015-11-06"});
    Step(state, "assign-reviewers", {"--reviewers", reviewers, "--on", "2016-01-15"});
    Step(state, "launch", {"--on", "2016-06-01"});
    Step(state, "focal-point", {"--name", "Synthetic focal point", "--on", "2016-06-15"});
    Step(state, "kickoff", {"--on", "2016-07-01"});
    Step(state, "checklist", {"--on", "2016-08-03"});
    Step(state, "desk-review", {"--on", "2016-09-01"});
    Step(state, "joint-meeting", {"--on", "2016-10-05"});
    Step(state, "draft", {"--on", "2016-11-15"});
    // The three agreements (issue 21 s.4), recorded by the open server's secretariat.
    Step(state, "agree", {"--party", "state", "--on-behalf-of", "focal_point:" + state, "--on",
                          "2016-11-20"});
    for (absl::string_view reviewer : absl::StrSplit(reviewers, ',')) {
      const std::string party = absl::StrCat("reviewer:", reviewer);
      Step(state, "agree", {"--party", party, "--on-behalf-of", party, "--on", "2016-11-21"});
    }
    json approved = Step(state, "approve-summary", {"--on", "2016-12-01"});
    ASSERT_EQ(approved["stage"], "summary_approved") << approved;
  }

  json Status(const std::string& state) { return One({"status", state, "--cycle", "2"}); }
};

TEST_F(E2eIrgTest, SessionsAreRecordedOnceWithCheckedDates) {
  json added = One({"irg", "session", "add", "--number", "7", "--from", "2016-06-20", "--to",
                    "2016-06-24", "--place", "Vienna"});
  EXPECT_EQ(added["stream"], "irg-sessions");
  EXPECT_EQ(added["number"], 7);
  EXPECT_EQ(added["place"], "Vienna");

  ExpectRefused({"irg", "session", "add", "--number", "7", "--from", "2017-06-12", "--to",
                 "2017-06-16"},
                "ALREADY_EXISTS:", "session 7 is already recorded (2016-06-20 to 2016-06-24");
  ExpectRefused({"irg", "session", "add", "--number", "8", "--from", "2017-06-16", "--to",
                 "2017-06-12"},
                "INVALID_ARGUMENT:", "before it starts");
  ExpectRefused({"irg", "session", "add", "--number", "8", "--from", "2017-02-30", "--to",
                 "2017-03-02"},
                "INVALID_ARGUMENT:", "--from expects a date YYYY-MM-DD");
  ExpectRefused({"irg", "session", "add", "--number", "8", "--from", "2016-06-23", "--to",
                 "2016-06-28"},
                "FAILED_PRECONDITION:", "overlaps IRG session 7");
  ExpectRefused({"irg", "session", "add", "--number", "0", "--from", "2017-06-12", "--to",
                 "2017-06-16"},
                "INVALID_ARGUMENT:", "--number");
  ExpectRefused({"irg", "session", "add", "--number", "8", "--from", "2017-06-12"},
                "INVALID_ARGUMENT:", "--to DATE");
  // Sessions change only through the command: a raw append is refused.
  ExpectRefused({"append", "irg-sessions", "IrgSessionRecorded", "--data", "{}"},
                "PERMISSION_DENIED:", "irg session add");

  Session(8, "2017-06-12", "2017-06-16");
  std::vector<json> sessions = IrmJson({"irg", "sessions"});
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0]["number"], 7);
  EXPECT_EQ(sessions[0]["from"], "2016-06-20");
  EXPECT_EQ(sessions[0]["to"], "2016-06-24");
  EXPECT_EQ(sessions[1]["number"], 8);
  EXPECT_EQ(sessions[1]["draws"], json::array());

  // The records survive a restart (the irg projection resumes from its checkpoint).
  RestartServer();
  EXPECT_EQ(IrmJson({"irg", "sessions"}).size(), 2u);
}

TEST_F(E2eIrgTest, DrawsNameTheirSessionOrSayWhyNot) {
  Session(6, "2015-11-02", "2015-11-06");
  Session(7, "2016-06-20", "2016-06-24");
  IrmResult years = Irm({"lots", "draw-years", "--cycle", "2", "--seed", "42", "--on",
                         "2015-11-06", "--session", "6"});
  ASSERT_EQ(years.exit_code, 0) << years;

  ExpectRefused({"lots", "draw", "--cycle", "2", "--year", "1", "--session", "9", "--on",
                 "2016-06-21"},
                "NOT_FOUND:", "IRG session 9 is not recorded");
  ExpectRefused({"lots", "draw", "--cycle", "2", "--year", "1", "--session", "7", "--on",
                 "2016-01-15"},
                "FAILED_PRECONDITION:",
                "2016-01-15 is outside IRG session 7 (2016-06-20 to 2016-06-24)");
  ExpectRefused({"lots", "draw-years", "--cycle", "1", "--session", "7", "--on", "2010-06-28"},
                "FAILED_PRECONDITION:", "outside IRG session 7");

  IrmResult outside = Irm({"lots", "draw", "--cycle", "2", "--year", "1", "--seed", "1",
                           "--session", "7", "--on", "2016-01-15", "--outside-session",
                           "decided at session 7, drawn in January"});
  ASSERT_EQ(outside.exit_code, 0) << outside;
  IrmResult at = Irm({"lots", "draw", "--cycle", "2", "--year", "2", "--seed", "2",
                      "--session", "7", "--on", "2016-06-21"});
  ASSERT_EQ(at.exit_code, 0) << at;
  // Without either flag a draw is still accepted (old scripts), recorded at no session.
  IrmResult plain =
      Irm({"lots", "draw", "--cycle", "2", "--year", "3", "--seed", "3", "--on", "2016-07-01"});
  ASSERT_EQ(plain.exit_code, 0) << plain;

  std::vector<json> sessions = IrmJson({"irg", "sessions"});
  ASSERT_EQ(sessions.size(), 2u);
  ASSERT_EQ(sessions[0]["draws"].size(), 1u) << sessions[0];
  EXPECT_EQ(sessions[0]["draws"][0]["kind"], "years");
  EXPECT_GT(sessions[0]["draws"][0]["reviews"].get<int>(), 150);
  EXPECT_EQ(sessions[0]["draws"][0]["seed"], 42);
  ASSERT_EQ(sessions[1]["draws"].size(), 2u) << sessions[1];
  EXPECT_EQ(sessions[1]["draws"][0]["year"], 1);
  EXPECT_EQ(sessions[1]["draws"][0]["outside_session"], "decided at session 7, drawn in January");
  EXPECT_EQ(sessions[1]["draws"][1]["year"], 2);
  EXPECT_FALSE(sessions[1]["draws"][1].contains("outside_session"));

  // The events themselves record the session.
  std::vector<json> reviews = IrmJson({"reviews", "--cycle", "2", "--year", "2"});
  ASSERT_FALSE(reviews.empty());
  const std::string stream = "review-" + reviews[0]["state"].get<std::string>() + "-2";
  std::vector<json> events = IrmJson({"read", stream});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["decoded"]["session"], 6) << events[0];
  EXPECT_EQ(events[1]["type"], "ReviewersDrawn");
  EXPECT_EQ(events[1]["decoded"]["session"], 7) << events[1];
}

TEST_F(E2eIrgTest, SummarySymbolIsUniqueAcrossTheLog) {
  Session(8, "2017-06-12", "2017-06-16");
  ASSERT_NO_FATAL_FAILURE(Approve("KEN", "UGA,FRA"));
  ASSERT_NO_FATAL_FAILURE(Approve("TZA", "RWA,ITA"));
  const std::string symbol = "CAC/COSP/IRG/II/1/1/Add.3";
  ExpectRefused({"review", "issue-summary", "KEN", "--cycle", "2", "--symbol", "Add.3"},
                "INVALID_ARGUMENT:", "CAC/COSP/IRG/");
  ExpectRefused({"review", "issue-summary", "KEN", "--cycle", "2", "--symbol",
                 "CAC/COSP/IRG/I/1/1/Add.3"},
                "INVALID_ARGUMENT:", "names cycle I but the review is of cycle 2");
  json issued = Step("KEN", "issue-summary", {"--symbol", symbol, "--on", "2017-01-15"});
  EXPECT_EQ(issued["stage"], "completed");
  EXPECT_EQ(Status("KEN")["summary_symbol"], symbol);
  ExpectRefused({"review", "issue-summary", "TZA", "--cycle", "2", "--symbol", symbol, "--on",
                 "2017-01-20"},
                "ALREADY_EXISTS:", "held by the executive summary of review-KEN-2");
  // Without a symbol, or with another one, it is issued.
  Step("TZA", "issue-summary", {"--symbol", "CAC/COSP/IRG/II/1/1/Add.4", "--on", "2017-06-30"});

  // KEN's summary is made available to session 8 (the first to end after its issue); TZA's
  // came after the last session.
  std::vector<json> sessions = IrmJson({"irg", "sessions"});
  ASSERT_EQ(sessions.size(), 1u);
  ASSERT_EQ(sessions[0]["summaries"].size(), 1u) << sessions[0];
  EXPECT_EQ(sessions[0]["summaries"][0]["state"], "KEN");
  EXPECT_EQ(sessions[0]["summaries"][0]["symbol"], symbol);
  IrmResult text = Irm({"irg", "sessions"});
  ASSERT_EQ(text.exit_code, 0) << text;
  EXPECT_THAT(text.out, HasSubstr("IRG session 8: 2017-06-12 to 2017-06-16, Vienna"));
  EXPECT_THAT(text.out, HasSubstr("review-TZA-2 CAC/COSP/IRG/II/1/1/Add.4"));
}

// Four issue-summary calls with one symbol at once: decided one at a time, exactly one wins.
TEST_F(E2eIrgTest, ConcurrentIssuesWithOneSymbolHaveOneWinner) {
  const std::vector<std::pair<std::string, std::string>> reviews = {
      {"KEN", "UGA,FRA"}, {"TZA", "RWA,ITA"}, {"UGA", "TZA,DEU"}, {"RWA", "BDI,ESP"}};
  for (const auto& [state, reviewers] : reviews) {
    ASSERT_NO_FATAL_FAILURE(Approve(state, reviewers));
  }
  const uint64_t head = Head();
  std::vector<IrmResult> results(reviews.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < reviews.size(); ++i) {
    threads.emplace_back([this, i, &reviews, &results] {
      results[i] = Irm({"review", "issue-summary", reviews[i].first, "--cycle", "2", "--symbol",
                        "CAC/COSP/IRG/II/1/1/Add.9", "--on", "2017-01-15"});
    });
  }
  for (std::thread& t : threads) t.join();
  int won = 0;
  for (const IrmResult& r : results) {
    if (r.exit_code == 0) {
      ++won;
    } else {
      EXPECT_THAT(r.err, StartsWith("ALREADY_EXISTS:")) << r;
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(Head(), head + 1) << "exactly one ExecutiveSummaryIssued";
}

TEST_F(E2eIrgTest, DeferralReleasesTheReviewersForTheNextYearsDraw) {
  ASSERT_EQ(Irm({"lots", "draw-years", "--cycle", "2", "--seed", "42", "--on", "2015-11-06"})
                .exit_code,
            0);
  ASSERT_EQ(Irm({"lots", "draw", "--cycle", "2", "--year", "1", "--seed", "1", "--on",
                 "2016-01-15"})
                .exit_code,
            0);
  std::vector<json> year1 = IrmJson({"reviews", "--cycle", "2", "--year", "1"});
  ASSERT_FALSE(year1.empty());
  const std::string state = year1[0]["state"];
  const json before = Status(state);
  ASSERT_EQ(before["stage"], "reviewers_drawn");
  ASSERT_EQ(before["reviewers"].size(), 2u);

  json deferred = Step(state, "defer", {"--year", "2", "--on", "2016-02-01"});
  EXPECT_EQ(deferred["stage"], "scheduled");
  json after = Status(state);
  EXPECT_EQ(after["year"], 2);
  EXPECT_EQ(after["reviewers"], json::array());
  std::vector<json> events = IrmJson({"read", "review-" + state + "-2"});
  ASSERT_EQ(events.back()["type"], "ReviewDeferred");
  EXPECT_EQ(events.back()["decoded"]["reviewers_released"], true) << events.back();
  EXPECT_EQ(events.back()["decoded"]["released_reviewers"], before["reviewers"]);

  // The next year's draw draws them again, in a new round.
  ASSERT_EQ(Irm({"lots", "draw", "--cycle", "2", "--year", "2", "--seed", "2", "--on",
                 "2017-01-15"})
                .exit_code,
            0);
  json redrawn = Status(state);
  EXPECT_EQ(redrawn["stage"], "reviewers_drawn");
  EXPECT_EQ(redrawn["reviewers"].size(), 2u);
  EXPECT_EQ(redrawn["draw_round"], 2);
}

// A ReviewDeferred as irmd wrote it before the rule (no reviewers_released) keeps the
// reviewers when folded live, replayed by a rebuild, and folded from the log after a restart.
TEST_F(E2eIrgTest, OldStyleDeferralKeepsItsReviewersOnReplay) {
  Step("KEN", "schedule", {"--year", "1", "--on", "2015-11-06"});
  Step("KEN", "assign-reviewers", {"--reviewers", "UGA,FRA", "--on", "2016-01-15"});
  // ReviewDeferred{on: "2016-02-01", from_year: 1, to_year: 2}, serialized by hand.
  const std::string old_event = std::string("\x0a\x0a", 2) + "2016-02-01" +
                                std::string("\x10\x01\x18\x02", 4);
  const std::string file = dir_.Sub("old-deferral.jsonl");
  {
    std::ofstream out(file);
    out << json({{"position", 3},
                 {"stream", "review-KEN-2"},
                 {"revision", 2},
                 {"id", "6f1c2b1e-0a8d-4e5b-9a77-2c1d3e4f5a6b"},
                 {"type", "ReviewDeferred"},
                 {"content_type", "protobuf"},
                 {"recorded_at", "2016-02-01T10:00:00Z"},
                 {"data_base64", absl::Base64Escape(old_event)},
                 {"metadata", json::object()}})
               .dump()
        << "\n";
  }
  IrmResult imported = Irm({"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported;
  auto expect_kept = [this](const std::string& when) {
    json status = Status("KEN");
    EXPECT_EQ(status["year"], 2) << when;
    EXPECT_EQ(status["stage"], "reviewers_drawn") << when;
    EXPECT_EQ(status["reviewers"], json::parse(R"(["UGA","FRA"])")) << when;
  };
  expect_kept("live");
  json rebuilt = One({"admin", "rebuild", "reviews"});
  EXPECT_EQ(rebuilt["equal"], true) << rebuilt;
  expect_kept("after a rebuild");
  RestartServer();
  expect_kept("after a restart");
  json past = One({"status", "KEN", "--cycle", "2", "--as-of", "2016-02-02"});
  EXPECT_EQ(past["reviewers"], json::parse(R"(["UGA","FRA"])"));
  // A year-2 draw leaves it alone: it has its reviewers.
  ASSERT_EQ(Irm({"lots", "draw", "--cycle", "2", "--year", "2", "--seed", "2", "--on",
                 "2017-01-15"})
                .exit_code,
            0);
  expect_kept("after the year-2 draw");
}

// Sessions are public facts; only the secretariat records them.
class E2eIrgAuthTest : public AuthFixture {};

TEST_F(E2eIrgAuthTest, OnlyTheSecretariatRecordsAndEveryoneSeesSessions) {
  ExpectDenied(kKen, {"irg", "session", "add", "--number", "7", "--from", "2016-06-20", "--to",
                      "2016-06-24"},
               "PERMISSION_DENIED", "record an IRG session");
  ExpectDenied(kObs, {"irg", "session", "add", "--number", "7", "--from", "2016-06-20", "--to",
                      "2016-06-24"},
               "PERMISSION_DENIED", "observer");
  IrmResult added = As(kSec, {"irg", "session", "add", "--number", "7", "--from", "2016-06-20",
                              "--to", "2016-06-24"});
  ASSERT_EQ(added.exit_code, 0) << added;
  for (const char* token : {kObs, kKen, kFra, kAud}) {
    IrmResult listed = As(token, {"--json", "irg", "sessions"});
    ASSERT_EQ(listed.exit_code, 0) << listed;
    EXPECT_EQ(Lines(listed.out).size(), 1u) << listed;
    IrmResult read = As(token, {"--json", "read", "irg-sessions"});
    ASSERT_EQ(read.exit_code, 0) << read;
    ASSERT_EQ(Lines(read.out).size(), 1u) << token << ": " << read;
    EXPECT_THAT(read.out, HasSubstr("IrgSessionRecorded"));
  }
}

}  // namespace
}  // namespace irm::tests
