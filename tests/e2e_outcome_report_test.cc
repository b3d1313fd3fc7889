// The outcomes report and the confidentiality of outcomes (issue 22), end to end: three
// cycle-2 reviews recorded through the real irm against the real irmd (with --auth and
// --http), outcomes and status changes added, and every grouping of `irm report outcomes`
// checked against counts this test computes itself from what it recorded; then what an
// observer and a member outside the reviews get on every read path (status, report, read,
// export, subscribe, HTTP).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/auth_fixture.h"
#include "tests/http_fixture.h"
#include "tests/support/chromium.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

struct Review {
  std::string state, region, reviewers;
  bool issue;  // PAK stops at the approval: its outcomes stay confidential
};
const Review kReviews[] = {{"PAK", "asia_pacific", "CHN,PHL", false},
                           {"KEN", "african", "UGA,FRA", true},
                           {"IDN", "asia_pacific", "BGD,SRB", true}};

struct Outcome {
  std::string state;
  int article;
  std::string kind, on;
  std::vector<std::pair<std::string, std::string>> steps;  // (date, status)
  std::string id;  // filled when recorded
};

// What the test records, in order (PAK first, so a leak would show up early in a stream).
std::vector<Outcome> Plan() {
  return {
      {"PAK", 9, "recommendation", "2016-09-10", {}},
      {"PAK", 10, "recommendation", "2016-09-10", {}},
      {"PAK", 52, "observation", "2016-09-10", {}},
      {"KEN", 5, "recommendation", "2016-09-05",
       {{"2018-03-01", "partially_implemented"}, {"2019-06-30", "implemented"}}},
      {"KEN", 9, "recommendation", "2016-09-05", {{"2018-03-01", "no_longer_relevant"}}},
      {"KEN", 9, "good_practice", "2016-09-06", {}},
      {"KEN", 52, "recommendation", "2016-10-20", {}},
      {"KEN", 53, "challenge", "2016-10-20", {}},
      {"KEN", 12, "observation", "2016-11-16", {}},
      {"IDN", 5, "recommendation", "2016-09-07", {{"2020-02-01", "implemented"}}},
      {"IDN", 7, "recommendation", "2016-10-01", {{"2019-06-30", "partially_implemented"}}},
      {"IDN", 58, "recommendation", "2016-10-01", {}},
      {"IDN", 58, "good_practice", "2016-10-02", {}},
      {"IDN", 13, "observation", "2016-10-02", {}},
  };
}

std::string RegionOf(const std::string& state) {
  for (const Review& r : kReviews) {
    if (r.state == state) return r.region;
  }
  return "";
}

std::string StatusOn(const Outcome& o, const std::optional<std::string>& as_of) {
  std::string status = "not_started";
  for (const auto& [on, s] : o.steps) {
    if (!as_of || on <= *as_of) status = s;  // the plan's steps are in date order
  }
  return status;
}

// One group of the expected table.
struct Expected {
  int count = 0;
  std::set<std::string> states;
  std::map<std::string, int> by_status;
};

// The table the test expects, computed from the plan alone.
std::map<std::string, Expected> ExpectedGroups(const std::vector<Outcome>& plan,
                                               const std::string& by,
                                               const std::optional<std::string>& as_of,
                                               const std::set<std::string>& states,
                                               Expected* total) {
  std::map<std::string, Expected> groups;
  for (const Outcome& o : plan) {
    if (!states.count(o.state) || (as_of && o.on > *as_of)) continue;
    const bool rec = o.kind == "recommendation";
    if (by == "status" && !rec) continue;
    const std::string status = StatusOn(o, as_of);
    std::string key;
    if (by == "chapter") key = o.article <= 14 ? "II" : "V";
    if (by == "article") key = std::to_string(o.article);
    if (by == "region") key = RegionOf(o.state);
    if (by == "state") key = o.state;
    if (by == "kind") key = o.kind;
    if (by == "status") key = status;
    for (Expected* e : {&groups[key], total}) {
      ++e->count;
      e->states.insert(o.state);
      if (rec) ++e->by_status[status];
    }
  }
  return groups;
}

std::optional<double> Rate(const Expected& e) {
  auto at = [&](const char* s) { return e.by_status.count(s) ? e.by_status.at(s) : 0; };
  int relevant = at("not_started") + at("partially_implemented") + at("implemented");
  if (relevant == 0) return std::nullopt;
  return (at("implemented") + 0.5 * at("partially_implemented")) / relevant;
}

void ExpectGroupsMatch(const json& report, const std::map<std::string, Expected>& want,
                       const Expected& total) {
  SCOPED_TRACE(report.dump());
  EXPECT_EQ(report["total"], total.count);
  EXPECT_EQ(report["states"], static_cast<int>(total.states.size()));
  ASSERT_EQ(report["groups"].size(), want.size());
  for (const json& g : report["groups"]) {
    const std::string key = g["key"];
    ASSERT_EQ(want.count(key), 1u) << key;
    const Expected& e = want.at(key);
    EXPECT_EQ(g["count"], e.count) << key;
    EXPECT_EQ(g["states"], static_cast<int>(e.states.size())) << key;
    for (const char* s : {"not_started", "partially_implemented", "implemented",
                          "no_longer_relevant"}) {
      EXPECT_EQ(g["by_status"][s], e.by_status.count(s) ? e.by_status.at(s) : 0) << key << s;
    }
    std::optional<double> rate = Rate(e);
    if (rate) {
      EXPECT_DOUBLE_EQ(g["implementation_rate"].get<double>(), *rate) << key;
    } else {
      EXPECT_TRUE(g["implementation_rate"].is_null()) << key;
    }
  }
  std::optional<double> rate = Rate(total);
  ASSERT_TRUE(rate.has_value());
  EXPECT_DOUBLE_EQ(report["implementation_rate"].get<double>(), *rate);
}

class E2eOutcomeReportTest : public AuthFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--http", "127.0.0.1:0"}));
    http_ = HttpAddressOf(irmd_->stderr_text());
    ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
    plan_ = Plan();
    for (const Review& r : kReviews) ASSERT_NO_FATAL_FAILURE(Record(r));
  }

  void Sec(const std::string& state, std::vector<std::string> args) {
    args.insert(args.begin() + 2, {state, "--cycle", "2"});
    IrmResult r = As(kSec, args);
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  // The review up to approval (and issue), its outcomes recorded in between.
  void Record(const Review& r) {
    const std::string s = r.state;
    Sec(s, {"review", "schedule", "--year", "1", "--on", "2015-11-06"});
    Sec(s, {"review", "assign-reviewers", "--reviewers", r.reviewers, "--on", "2016-01-15"});
    Sec(s, {"review", "launch", "--on", "2016-06-01"});
    Sec(s, {"review", "focal-point", "--name", "F. P.", "--on", "2016-06-15"});
    Sec(s, {"review", "kickoff", "--on", "2016-07-01"});
    Sec(s, {"review", "checklist", "--on", "2016-08-03"});
    Sec(s, {"review", "desk-review", "--on", "2016-09-01"});
    auto add_until = [&](const std::string& until) {
      for (Outcome& o : plan_) {
        if (o.state != s || !o.id.empty() || o.on > until) continue;
        IrmResult added = As(kSec, {"--json", "outcome", "add", s, "--cycle", "2", "--article",
                                    std::to_string(o.article), "--kind", o.kind, "--text",
                                    "Secret text " + s, "--on", o.on});
        ASSERT_EQ(added.exit_code, 0) << added;
        o.id = json::parse(added.out)["outcome_id"];
      }
    };
    add_until("2016-10-04");
    Sec(s, {"review", "joint-meeting", "--on", "2016-10-05"});
    add_until("2016-11-14");
    Sec(s, {"review", "draft", "--on", "2016-11-15"});
    add_until("2016-11-19");
    const std::vector<std::string> reviewers = {r.reviewers.substr(0, 3), r.reviewers.substr(4)};
    Sec(s, {"review", "agree", "--party", "state", "--on-behalf-of", "focal_point:" + s, "--on",
            "2016-11-20"});
    for (const std::string& code : reviewers) {
      Sec(s, {"review", "agree", "--party", "reviewer:" + code, "--on-behalf-of",
              "reviewer:" + code, "--on", "2016-11-21"});
    }
    Sec(s, {"review", "approve-summary", "--on", "2016-12-01"});
    if (!r.issue) return;
    Sec(s, {"review", "issue-summary", "--on", "2017-01-10"});
    for (Outcome& o : plan_) {
      if (o.state != s) continue;
      for (const auto& [on, status] : o.steps) {
        IrmResult changed = As(kSec, {"recommendation", "status", o.id, "--status", status,
                                      "--on", on, "--evidence", "Secret evidence"});
        ASSERT_EQ(changed.exit_code, 0) << changed;
      }
    }
  }

  json Report(const std::string& token, std::vector<std::string> extra) {
    std::vector<std::string> args = {"report", "outcomes", "--cycle", "2", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    IrmResult r = As(token, args);
    EXPECT_EQ(r.exit_code, 0) << r;
    return json::parse(r.out);
  }

  std::vector<Outcome> plan_;
  std::string http_;
};

const std::set<std::string> kAll = {"PAK", "KEN", "IDN"};
const std::set<std::string> kIssued = {"KEN", "IDN"};

TEST_F(E2eOutcomeReportTest, EveryGroupingMatchesCountsFromTheEvents) {
  for (const std::string by : {"chapter", "article", "region", "state", "kind", "status"}) {
    SCOPED_TRACE(by);
    Expected total;
    auto want = ExpectedGroups(plan_, by, std::nullopt, kAll, &total);
    json report = Report(kSec, {"--by", by});
    EXPECT_EQ(report["by"], by);
    EXPECT_EQ(report["cycle"], 2);
    ExpectGroupsMatch(report, want, total);
  }
  // Keys in natural order: chapters II then V, kinds in their list's order.
  json kinds = Report(kSec, {"--by", "kind"});
  std::vector<std::string> keys;
  for (const json& g : kinds["groups"]) keys.push_back(g["key"]);
  EXPECT_EQ(keys, (std::vector<std::string>{"observation", "recommendation", "good_practice",
                                            "challenge"}));
  // --kind keeps one kind.
  json recommendations = Report(kSec, {"--by", "region", "--kind", "recommendation"});
  EXPECT_EQ(recommendations["total"], 8);
  EXPECT_EQ(recommendations["kind"], "recommendation");
  // Bad input is refused naming what would be right.
  IrmResult bad = As(kSec, {"report", "outcomes", "--by", "category"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(bad.err, HasSubstr("chapter, article, region, state, kind, status"));
  bad = As(kSec, {"report", "outcomes", "--by", "status", "--kind", "observation"});
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT: --by status groups recommendations"));
  // Table and CSV carry the same counts.
  IrmResult table = As(kSec, {"report", "outcomes", "--cycle", "2", "--by", "state"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_THAT(table.out, HasSubstr("Review outcomes, cycle 2, by state"));
  EXPECT_THAT(table.out, HasSubstr("3 reviews with outcomes (2 executive summaries issued)"));
  IrmResult csv = As(kSec, {"report", "outcomes", "--cycle", "2", "--by", "state", "--format",
                            "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv;
  EXPECT_THAT(csv.out, HasSubstr("key,label,count,states,not_started,partially_implemented,"
                                 "implemented,no_longer_relevant,implementation_rate\n"));
  EXPECT_THAT(csv.out, HasSubstr("\nKEN,Kenya,6,1,1,0,1,1,0.500\n"));
}

TEST_F(E2eOutcomeReportTest, AsOfAndCompareCountWhatTheLogSaysOfThoseDays) {
  for (const std::string as_of : {"2016-09-30", "2018-12-31", "2019-12-31"}) {
    for (const std::string by : {"chapter", "status", "state"}) {
      SCOPED_TRACE(as_of + " " + by);
      Expected total;
      auto want = ExpectedGroups(plan_, by, as_of, kAll, &total);
      json report = Report(kSec, {"--by", by, "--as-of", as_of});
      EXPECT_EQ(report["as_of"], as_of);
      if (by == "status" || Rate(total)) ExpectGroupsMatch(report, want, total);
    }
  }
  json compared = Report(kSec, {"--by", "status", "--as-of", "2020-12-31", "--compare",
                                "2018-12-31"});
  Expected now, then;
  ExpectedGroups(plan_, "status", std::string("2020-12-31"), kAll, &now);
  ExpectedGroups(plan_, "status", std::string("2018-12-31"), kAll, &then);
  ASSERT_TRUE(compared.contains("compare")) << compared;
  EXPECT_EQ(compared["compare"]["as_of"], "2018-12-31");
  EXPECT_DOUBLE_EQ(compared["compare"]["implementation_rate"].get<double>(), *Rate(then));
  EXPECT_DOUBLE_EQ(compared["implementation_rate"].get<double>(), *Rate(now));
  EXPECT_EQ(compared["compare"]["delta_total"], 0);  // the same recommendations, other statuses
  IrmResult late = As(kSec, {"report", "outcomes", "--as-of", "2018-01-01", "--compare",
                             "2019-01-01"});
  EXPECT_THAT(late.err, HasSubstr("INVALID_ARGUMENT: --compare 2019-01-01 is after --as-of"));
  // irm status shows each review's outcomes and its implementation rate.
  IrmResult card = As(kSec, {"status", "KEN", "--cycle", "2"});
  EXPECT_THAT(card.out, HasSubstr("3 recommendations, 1 observations, 1 good practices, "
                                  "1 challenges"));
  EXPECT_THAT(card.out, HasSubstr("implementation rate 50.0 %"));
  IrmResult profile = As(kSec, {"profile", "KEN"});
  ASSERT_EQ(profile.exit_code, 0) << profile;
  EXPECT_THAT(profile.out, HasSubstr("implementation rate 50.0 %"));
}

TEST_F(E2eOutcomeReportTest, ObserversSeeOutcomesOnlyOnceTheSummaryIsIssued) {
  // The report: observers count the issued reviews only; the secretariat all three.
  for (const std::string by : {"state", "chapter", "status"}) {
    Expected total;
    auto want = ExpectedGroups(plan_, by, std::nullopt, kIssued, &total);
    ExpectGroupsMatch(Report(kObs, {"--by", by}), want, total);
  }
  // Status: none of PAK's outcomes for an observer; KEN's whole, texts and evidence.
  json pak = JsonAs(kObs, {"status", "PAK", "--cycle", "2"});
  EXPECT_EQ(pak["outcomes"], json::array()) << pak;
  EXPECT_EQ(pak["outcome_counts"]["recommendation"], 0);
  json ken = JsonAs(kObs, {"status", "KEN", "--cycle", "2"});
  ASSERT_EQ(ken["outcomes"].size(), 6u) << ken;
  EXPECT_EQ(ken["outcomes"][0]["text"], "Secret text KEN");
  EXPECT_EQ(ken["outcomes"][0]["history"][1]["evidence"], "Secret evidence");
  // A member outside the review (reviewer BRA) sees PAK's outcomes without their texts.
  json member = JsonAs(kBra, {"status", "PAK", "--cycle", "2"});
  ASSERT_EQ(member["outcomes"].size(), 3u) << member;
  EXPECT_TRUE(member["outcomes"][0]["text"].is_null()) << member;
  EXPECT_EQ(member["outcome_counts"]["recommendation"], 2);

  // read, export, subscribe: no PAK outcome event reaches an observer; KEN's do.
  IrmResult read = As(kObs, {"--json", "read", "review-PAK-2"});
  ASSERT_EQ(read.exit_code, 0) << read;
  EXPECT_THAT(read.out, Not(HasSubstr("OutcomeRecorded")));
  EXPECT_THAT(read.out, HasSubstr("ExecutiveSummaryApproved"));
  IrmResult member_read = As(kBra, {"--json", "read", "review-PAK-2"});
  EXPECT_THAT(member_read.out, HasSubstr("OutcomeRecorded"));
  EXPECT_THAT(member_read.out, Not(HasSubstr("Secret text")));
  read = As(kObs, {"--json", "read", "review-KEN-2"});
  EXPECT_THAT(read.out, HasSubstr("Secret text KEN"));
  EXPECT_THAT(read.out, HasSubstr("RecommendationStatusChanged"));
  IrmResult exported = As(kObs, {"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  EXPECT_THAT(exported.out, Not(HasSubstr("Secret text PAK")));
  EXPECT_THAT(exported.out, HasSubstr("Secret text KEN"));
  int visible = 0;
  for (const Outcome& o : plan_) visible += o.state != "PAK";
  IrmResult subscribed = As(kObs, {"--json", "subscribe", "--from", "start", "--type",
                                   "OutcomeRecorded", "--count", std::to_string(visible)});
  ASSERT_EQ(subscribed.exit_code, 0) << subscribed;
  EXPECT_EQ(Lines(subscribed.out).size(), static_cast<size_t>(visible));
  EXPECT_THAT(subscribed.out, Not(HasSubstr("review-PAK-2")));
  EXPECT_THAT(subscribed.out, HasSubstr("review-KEN-2"));

  // HTTP: /api/outcomes and /api/reviews answer as the CLI does for the same principal.
  auto get = [&](const std::string& path, const std::string& token) {
    return HttpGet(http_, path, {{"Authorization", std::string("Bearer ") + token}});
  };
  HttpAnswer observed = get("/api/outcomes?cycle=2&by=state", kObs);
  ASSERT_EQ(observed.status, 200) << observed.text;
  EXPECT_EQ(observed.body, Report(kObs, {"--by", "state"}));
  HttpAnswer all = get("/api/outcomes?cycle=2&by=state", kSec);
  EXPECT_EQ(all.body["total"], static_cast<int>(plan_.size()));
  HttpAnswer review = get("/api/reviews/PAK/2", kObs);
  ASSERT_EQ(review.status, 200) << review.text;
  EXPECT_EQ(review.body["outcomes"], json::array());
  HttpAnswer bad = get("/api/outcomes?by=category", kSec);
  EXPECT_EQ(bad.status, 400) << bad.text;

  // Once PAK's summary is issued, its outcomes are public.
  IrmResult issued = As(kSec, {"review", "issue-summary", "PAK", "--cycle", "2", "--on",
                               "2017-02-01"});
  ASSERT_EQ(issued.exit_code, 0) << issued;
  EXPECT_EQ(JsonAs(kObs, {"status", "PAK", "--cycle", "2"})["outcomes"].size(), 3u);
  EXPECT_EQ(Report(kObs, {"--by", "state"})["total"], static_cast<int>(plan_.size()));
  read = As(kObs, {"--json", "read", "review-PAK-2"});
  EXPECT_THAT(read.out, HasSubstr("Secret text PAK"));
}

// The HTML page in headless Chromium, as the needs page's: two stacked charts (status by
// region and by chapter), their tables, and a screenshot in the build's Testing/outcomes.
TEST_F(E2eOutcomeReportTest, ChromiumRendersTheImplementationCharts) {
  if (access(kChromium, X_OK) != 0) {
    GTEST_SKIP() << kChromium << " is missing: install Debian's `chromium` package "
                 << "(scripts/install-deps.sh) to render the outcomes page in a browser";
  }
  IrmResult page = As(kSec, {"report", "outcomes", "--cycle", "2", "--format", "html",
                             "--as-of", "2020-12-31", "--compare", "2018-12-31"});
  ASSERT_EQ(page.exit_code, 0) << page;
  EXPECT_THAT(page.out, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page.out, Not(HasSubstr("<script")));
  EXPECT_THAT(page.out, Not(HasSubstr("https://")));
  TempDir dir("irm-e2e-outcomes-html");
  const std::string html_path = dir.Sub("outcomes.html");
  std::ofstream(html_path) << page.out;
  const std::string url = "file://" + html_path;
  absl::StatusOr<std::string> dom = Chromium(dir.Sub("profile"), {"--dump-dom"}, url);
  ASSERT_TRUE(dom.ok()) << dom.status();
  EXPECT_EQ(CountOf(*dom, "<svg class=\"chart\""), 2) << *dom;
  EXPECT_EQ(CountOf(*dom, "<table class=\"figures\""), 2);
  EXPECT_THAT(*dom, HasSubstr("data-figure=\"status-by-region\""));
  EXPECT_THAT(*dom, HasSubstr("data-figure=\"status-by-chapter\""));
  // Segments, one per (group, status) with recommendations, counted from the plan.
  for (const std::string by : {"region", "chapter"}) {
    Expected total;
    std::map<std::string, Expected> want = ExpectedGroups(
        plan_, by, std::string("2020-12-31"), kAll, &total);
    int segments = 0;
    for (const auto& [key, e] : want) {
      for (const auto& [status, n] : e.by_status) {
        segments += n > 0;
        EXPECT_THAT(*dom, HasSubstr("data-key=\"" + key + "\" data-status=\"" + status +
                                    "\" data-count=\"" + std::to_string(n) + "\""))
            << by << " " << key << " " << status;
      }
    }
    EXPECT_GT(segments, 0);
  }
  Expected total;
  ExpectedGroups(plan_, "status", std::string("2020-12-31"), kAll, &total);
  EXPECT_THAT(*dom, HasSubstr("<span id=\"total-recommendations\">" +
                              std::to_string(total.count) + "</span>"));
  EXPECT_THAT(*dom, HasSubstr("On 2018-12-31: "));
  const std::string artefacts = IRM_TEST_ARTIFACT_DIR;
  std::filesystem::create_directories(artefacts);
  const std::string png = artefacts + "/outcomes_cycle2.png";
  std::filesystem::remove(png);
  absl::StatusOr<std::string> shot = Chromium(
      dir.Sub("profile"), {"--screenshot=" + png, "--window-size=1200,1200", "--hide-scrollbars"},
      url);
  ASSERT_TRUE(shot.ok()) << shot.status();
  ASSERT_TRUE(std::filesystem::exists(png)) << png;
  EXPECT_GT(std::filesystem::file_size(png), 10000u);
}

}  // namespace
}  // namespace irm::tests
