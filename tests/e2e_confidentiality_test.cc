// End-to-end confidentiality: one review taken from launch to its issued executive summary by
// its focal point, reviewers and the secretariat; then every read path as an observer (stream
// read, $all, export, subscribe, status, reviews, profile, needs report) must carry the public
// facts and none of the restricted ones; reviewers see per domain.md section 2.
#include <string>
#include <vector>

#include "absl/time/clock.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth_fixture.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Text that only the secretariat, auditors, KEN's focal point and KEN's reviewers may see.
const char* const kSecrets[] = {"SECRET-NEED-TEXT", "Ana Ruiz", "ana.secret@example.ke",
                                "Sam Secretariat", "Remy Fournier", "internal note"};

class E2eConfidentialityTest : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    if (HasFatalFailure()) return;
    LaunchKen();
    Step(kKen, "focal-point",
         {"--name", "Ana Ruiz", "--email", "ana.secret@example.ke", "--on", "2016-06-15"});
    Step(kSec, "kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"});
    Step(kKen, "checklist", {"--on", "2016-08-03"});
    Step(kSec, "circulate-checklist", {"--on", "2016-08-10"});
    Step(kFra, "desk-review", {"--on", "2016-09-01"});
    Step(kSec, "desk-review-call", {"--on", "2016-09-08"});
    Step(kSec, "visit", {"--from", "2016-10-03", "--to", "2016-10-07"});
    Step(kFra, "draft", {"--on", "2016-11-15"});
    need_id_ = JsonAs(kKen, {"need", "add", "KEN", "--cycle", "2", "--article", "9",
                             "--category", "capacity_building", "--text",
                             "SECRET-NEED-TEXT on procurement", "--on", "2016-11-20"})
                   .value("need_id", "");
    Step(kKen, "agree", {"--party", "state", "--on", "2016-11-25"});
    Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-26"});
    Step(kSec, "agree",
         {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-27"});
    Step(kSec, "approve-summary", {"--on", "2016-12-01"});
    Step(kSec, "issue-summary", {"--on", "2017-01-15"});
    JsonAs(kSec, {"append", "notes-2017", "Note", "--data", "{\"text\":\"internal note\"}"});
  }

  // `irm --token TOKEN ARGS...`, expecting success; stdout.
  std::string Out(const std::string& token, const std::vector<std::string>& args) {
    IrmResult result = As(token, args);
    EXPECT_EQ(result.exit_code, 0) << result;
    return result.out;
  }

  static void ExpectNoSecret(const std::string& text, const std::string& path) {
    for (const char* secret : kSecrets) {
      EXPECT_THAT(text, Not(HasSubstr(secret))) << path << " leaked '" << secret << "'";
    }
  }

  // The event types in `jsonl`, in order.
  // The types of the events of `jsonl` in review-KEN-2 (the deadlines irmd found passed are
  // public too, in deadline-KEN-2: see DeadlineTypes).
  static std::vector<std::string> Types(const std::string& jsonl) {
    return TypesIn(jsonl, "review-KEN-2");
  }
  static std::vector<std::string> DeadlineTypes(const std::string& jsonl) {
    return TypesIn(jsonl, "deadline-KEN-2");
  }
  static std::vector<std::string> TypesIn(const std::string& jsonl, const std::string& stream) {
    std::vector<std::string> types;
    for (const std::string& line : Lines(jsonl)) {
      json event = json::parse(line);
      if (event["stream"] == stream) types.push_back(event["type"]);
    }
    return types;
  }

  std::string need_id_;
};

const std::vector<std::string> kPublicTypes = {
    "ReviewScheduled",     "ReviewersDrawn",         "ReviewLaunched",
    "FocalPointAppointed", "KickoffCallHeld",        "ChecklistSubmitted",
    "ChecklistCirculated", "DeskReviewCompleted",    "DeskReviewTeleconferenceHeld",
    "CountryVisitHeld",    "DraftReportCirculated",  "ReportAgreed",
    "ReportAgreed",        "ReportAgreed",           "ExecutiveSummaryApproved",
    "ExecutiveSummaryIssued"};

TEST_F(E2eConfidentialityTest, ObserverStreamReadsCarryOnlyPublicFacts) {
  ASSERT_EQ(need_id_, "KEN-2-1");
  const std::string stream = Out(kObs, {"--json", "read", "review-KEN-2"});
  ExpectNoSecret(stream, "read review-KEN-2");
  EXPECT_EQ(Types(stream), kPublicTypes);
  for (const std::string& line : Lines(stream)) {
    json event = json::parse(line);
    if (event["type"] == "FocalPointAppointed") {
      EXPECT_EQ(event["decoded"], json({{"on", "2016-06-15"}})) << line;
    }
    if (event["type"] == "CountryVisitHeld") {
      EXPECT_EQ(event["decoded"].value("from", ""), "2016-10-03") << line;  // dates are public
    }
    if (event["type"] == "ReviewersDrawn") {
      EXPECT_EQ(event["decoded"]["reviewers"], json({"UGA", "FRA"})) << line;
    }
    EXPECT_FALSE(event["metadata"]["actor"].contains("name")) << line;
  }
  const std::string all = Out(kObs, {"--json", "read", "$all"});
  ExpectNoSecret(all, "read $all");
  EXPECT_EQ(Types(all), kPublicTypes);
  // The steps recorded late left public DeadlinePassed events beside the review's stream.
  EXPECT_FALSE(DeadlineTypes(all).empty()) << all;
  for (const std::string& type : DeadlineTypes(all)) EXPECT_EQ(type, "DeadlinePassed");
  const std::string exported = Out(kObs, {"export"});
  ExpectNoSecret(exported, "export");
  EXPECT_EQ(Types(exported), kPublicTypes);
  const std::string subscribed =
      Out(kObs, {"--json", "subscribe", "--from", "start", "--count",
                 std::to_string(kPublicTypes.size() + DeadlineTypes(all).size())});
  ExpectNoSecret(subscribed, "subscribe");
  EXPECT_EQ(Types(subscribed), kPublicTypes);
  // The stream's info counts only what the observer may read, up to its last public event.
  const json info = json::parse(Out(kObs, {"--json", "info", "review-KEN-2"}));
  EXPECT_EQ(info["event_count"], kPublicTypes.size()) << info;
  const json last_public = json::parse(Lines(stream).back());
  EXPECT_EQ(info["last_revision"], last_public["revision"]) << info;
  EXPECT_EQ(info["last_position"], last_public["position"]) << info;
  // The same reads as the auditor hold everything, so the test above can fail.
  const std::string audited = Out(kAud, {"--json", "read", "$all"});
  for (const char* secret : kSecrets) EXPECT_THAT(audited, HasSubstr(secret));
  const json full_info = json::parse(Out(kAud, {"--json", "info", "review-KEN-2"}));
  EXPECT_GT(full_info["event_count"].get<int>(), info["event_count"].get<int>()) << full_info;
}

TEST_F(E2eConfidentialityTest, ObserverQuestionsCarryOnlyPublicFactsAndAggregates) {
  const std::string status = Out(kObs, {"--json", "status", "KEN", "--cycle", "2"});
  ExpectNoSecret(status, "status");
  json parsed = json::parse(Lines(status).at(0));
  EXPECT_EQ(parsed["stage"], "completed");
  EXPECT_EQ(parsed["reviewers"], json({"UGA", "FRA"}));
  EXPECT_EQ(parsed["needs"], 1);  // the count is public, the need is not
  EXPECT_EQ(parsed["dialogue"], "country_visit");
  const std::string reviews = Out(kObs, {"--json", "reviews"});
  ExpectNoSecret(reviews, "reviews");
  EXPECT_EQ(Lines(reviews).size(), 1u);
  const std::string table = Out(kObs, {"status", "KEN", "--cycle", "2"});
  ExpectNoSecret(table, "status table");
  const std::string profile = Out(kObs, {"--json", "profile", "KEN"});
  ExpectNoSecret(profile, "profile");
  EXPECT_THAT(profile, Not(HasSubstr(need_id_)));
  const std::string report = Out(kObs, {"report", "needs", "--format", "json"});
  ExpectNoSecret(report, "report needs");
  EXPECT_EQ(json::parse(Lines(report).at(0))["total_needs"], 1);
  // The focal point of KEN sees its own review whole.
  EXPECT_THAT(Out(kKen, {"--json", "status", "KEN", "--cycle", "2"}), HasSubstr("Ana Ruiz"));
}

TEST_F(E2eConfidentialityTest, ReviewersSeeWhatTheirDrawAllows) {
  // FRA was drawn for KEN: the whole review, need text included.
  EXPECT_THAT(Out(kFra, {"--json", "read", "review-KEN-2"}), HasSubstr("SECRET-NEED-TEXT"));
  // BRA was not: the need's record without its free text, no names.
  const std::string bra = Out(kBra, {"--json", "read", "review-KEN-2"});
  EXPECT_THAT(bra, HasSubstr("\"need_id\":\"KEN-2-1\""));
  ExpectNoSecret(bra, "read review-KEN-2 as reviewer:BRA");
  // Nobody but the secretariat and auditors reads raw streams.
  // Once KEN publishes its full report, the need's text is open to members (not observers).
  Step(kKen, "publish", {"--on", "2017-02-02"});
  EXPECT_THAT(Out(kBra, {"--json", "read", "review-KEN-2"}), HasSubstr("SECRET-NEED-TEXT"));
  EXPECT_THAT(Out(kObs, {"--json", "read", "review-KEN-2"}), Not(HasSubstr("SECRET-NEED-TEXT")));
  IrmResult raw = As(kBra, {"--json", "read", "notes-2017"});
  EXPECT_THAT(raw.err, ::testing::StartsWith("NOT_FOUND: stream 'notes-2017' has no events")) << raw;
  EXPECT_EQ(Lines(Out(kAud, {"--json", "read", "notes-2017"})).size(), 1u);
}

TEST_F(E2eConfidentialityTest, LiveSubscriptionSkipsRestrictedEvents) {
  // An observer following the log live gets the public step, not the need recorded before it.
  SubprocessOptions options;
  options.argv = {IrmPath(), "--server", irmd_->address(), "--token", kObs, "--json",
                  "subscribe", "--from", "end", "--count", "1"};
  options.env = {"IRM_SERVER=", "IRM_TOKEN="};
  auto observer = Subprocess::Start(options);
  ASSERT_TRUE(observer.ok()) << observer.status();
  // Wait until the subscription is live: listed by irmd and caught up with the head.
  bool live = false;
  for (absl::Time end = absl::Now() + absl::Seconds(30); !live && absl::Now() < end;) {
    for (const std::string& line : Lines(Out(kSec, {"--json", "admin", "subscriptions"}))) {
      if (json::parse(line)["lag_events"] == 0) live = true;
    }
    if (!live) absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(live) << "the observer's subscription never caught up";
  JsonAs(kKen, {"need", "add", "KEN", "--cycle", "2", "--article", "5", "--category",
                "policymaking", "--text", "SECRET-NEED-TEXT live", "--on", "2017-02-01"});
  Step(kKen, "publish", {"--on", "2017-02-02"});
  absl::StatusOr<int> exit = (*observer)->Wait(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, 0) << (*observer)->stderr_text();
  EXPECT_EQ(Types((*observer)->stdout_text()), std::vector<std::string>{"FullReportPublished"});
  ExpectNoSecret((*observer)->stdout_text(), "live subscribe");
}

}  // namespace
}  // namespace irm::tests
