// DeadlinePassed events end to end (docs/deadlines.md): the real irmd with --today, the real
// irm. Deadlines passed without their step are written once each, into deadline-STATE-CYCLE
// and never into the review's stream, at start, on `irm admin check-deadlines` and after a
// late step; observers see them; nobody may append them by hand.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class E2eDeadlineTest : public AuthFixture {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--today", "2016-08-01"})); }

  // The events of deadline-KEN-2 as `token` reads them.
  std::vector<json> Deadlines(const std::string& token = kSec) {
    IrmResult read = As(token, {"read", "deadline-KEN-2", "--json"});
    std::vector<json> events;
    if (read.exit_code != 0) {
      EXPECT_THAT(read.err, HasSubstr("NOT_FOUND")) << read;
      return events;
    }
    for (const std::string& line : Lines(read.out)) events.push_back(json::parse(line));
    return events;
  }
  // "STEP DEADLINE" of each DeadlinePassed event, as the secretariat reads them.
  std::vector<std::string> Passed() {
    std::vector<std::string> out;
    std::set<std::string> ids;
    for (const json& event : Deadlines()) {
      EXPECT_EQ(event["type"], "DeadlinePassed") << event;
      EXPECT_EQ(event["metadata"]["actor"]["role"], "system") << event;
      EXPECT_TRUE(ids.insert(event.value("id", "")).second) << "a deadline twice: " << event;
      const json& decoded = event["decoded"];
      EXPECT_EQ(decoded["state"], "KEN") << event;
      EXPECT_EQ(decoded["cycle"], 2) << event;
      out.push_back(decoded.value("step", "") + " " + decoded.value("deadline", ""));
    }
    return out;
  }
  json CheckDeadlines() { return JsonAs(kSec, {"admin", "check-deadlines"}); }
  uint64_t ReviewRevision() {
    return JsonAs(kSec, {"status", "KEN", "--cycle", "2"}).value("revision", uint64_t{0});
  }
};

TEST_F(E2eDeadlineTest, APassedDeadlineIsWrittenOnceOutsideTheReviewsStream) {
  LaunchKen();  // launched 2016-06-01: the focal point was due 2016-06-22
  const uint64_t revision = ReviewRevision();
  json checked = CheckDeadlines();
  EXPECT_EQ(checked["today"], "2016-08-01") << checked;
  EXPECT_EQ(checked["events_written"], 1) << checked;
  EXPECT_THAT(Passed(), ElementsAre("FocalPointAppointed 2016-06-22"));
  EXPECT_EQ(CheckDeadlines()["events_written"], 0) << "asked again";
  EXPECT_EQ(ReviewRevision(), revision) << "the review's own stream moved";
  json status = JsonAs(kSec, {"status", "KEN", "--cycle", "2"});
  EXPECT_EQ(status["stage"], "launched") << status;
  EXPECT_EQ(status["overdue"], true) << status;
}

TEST_F(E2eDeadlineTest, DeadlinesPassedWhileDownAreWrittenAtStartAndNeverTwice) {
  LaunchKen();
  CheckDeadlines();
  Step(kSec, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-07-20"});  // late
  ASSERT_NO_FATAL_FAILURE(StopServer());
  // Two months later: the kickoff (due 2016-07-01, t0 + 1 month) passed while irmd was down.
  ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--today", "2016-10-01"}));
  // The start's sweep runs first; a check queued behind it finds nothing more to write.
  EXPECT_EQ(CheckDeadlines()["events_written"], 0);
  EXPECT_THAT(Passed(),
              ElementsAre("FocalPointAppointed 2016-06-22", "KickoffCallHeld 2016-07-01"));
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--today", "2016-10-01"}));
  CheckDeadlines();
  EXPECT_THAT(Passed(),
              ElementsAre("FocalPointAppointed 2016-06-22", "KickoffCallHeld 2016-07-01"));
}

TEST_F(E2eDeadlineTest, ALateStepIsWrittenAsSoonAsItIsRecorded) {
  LaunchKen();
  CheckDeadlines();  // the focal point, due 2016-06-22, is awaited: passed
  Step(kSec, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-30"});
  Step(kSec, "kickoff", {"--on", "2016-07-15"});  // due 2016-07-01: late
  // irmd looked at the review's history after each step, before answering the next call:
  // the check finds the kickoff's deadline written already (and the awaited checklist, due
  // 2016-08-01, not passed today).
  EXPECT_EQ(CheckDeadlines()["events_written"], 0);
  EXPECT_THAT(Passed(),
              ElementsAre("FocalPointAppointed 2016-06-22", "KickoffCallHeld 2016-07-01"));
}

TEST_F(E2eDeadlineTest, ObserversSeeDeadlinesAndNobodyAppendsThem) {
  LaunchKen();
  CheckDeadlines();
  std::vector<json> seen = Deadlines(kObs);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["decoded"]["step"], "FocalPointAppointed") << seen[0];
  EXPECT_FALSE(seen[0]["metadata"]["actor"].contains("name")) << seen[0];
  ExpectDenied(kSec, {"append", "deadline-KEN-2", "DeadlinePassed", "--data", "{}"},
               "PERMISSION_DENIED", "written by irmd itself");
  ExpectDenied(kObs, {"admin", "check-deadlines"}, "PERMISSION_DENIED", "check deadlines");
  ExpectDenied(kKen, {"admin", "check-deadlines"}, "PERMISSION_DENIED", "check deadlines");
}

}  // namespace
}  // namespace irm::tests
