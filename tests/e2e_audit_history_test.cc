// End-to-end tests of time travel and replay checks for auditors: the real irmd on a
// temporary data folder, driven by the real irm client (`irm status --as-of/--known-at`,
// `irm history`, `irm history --explain`, `irm admin replay-check`). One test corrupts a
// stopped server's projection through RocksDB's own API and sees replay-check name it.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/event/v1/review_state.pb.h"
#include "nlohmann/json.hpp"
#include "rocksdb/db.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class E2eAuditHistoryTest : public ServedLogTest {
 protected:
  E2eAuditHistoryTest() : ServedLogTest("irm-e2e-audit") {}

  // `irm review STEP KEN --cycle 2 EXTRA...`; the position it was recorded at.
  uint64_t Step(const std::string& step, const std::vector<std::string>& extra,
                const std::string& state = "KEN") {
    std::vector<std::string> args = {"review", step, state, "--cycle", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return One(args).value("position", uint64_t{0});
  }

  json StatusAt(const std::string& flag, const std::string& point) {
    return One({"status", "KEN", "--cycle", "2", flag, point});
  }

  // A review of KEN over dated steps, with UGA scheduled first so KEN's first position is
  // not 1. Positions: schedule, reviewers, launch, focal point, kickoff, checklist.
  std::vector<uint64_t> Advance() {
    Step("schedule", {"--year", "1", "--on", "2015-11-01"}, "UGA");
    std::vector<uint64_t> p;
    p.push_back(Step("schedule", {"--year", "1", "--on", "2015-11-06"}));
    p.push_back(Step("assign-reviewers", {"--reviewers", "UGA,FRA", "--on", "2016-01-15"}));
    p.push_back(Step("launch", {"--on", "2016-06-01"}));
    p.push_back(Step("focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"}));
    p.push_back(Step("kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"}));
    p.push_back(Step("checklist", {"--on", "2016-08-03"}));
    for (uint64_t position : p) EXPECT_GT(position, 1u);
    return p;
  }
};

TEST_F(E2eAuditHistoryTest, StatusAsOfPositionsAndBusinessDates) {
  std::vector<uint64_t> p = Advance();
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(StatusAt("--as-of", absl::StrCat(p[2]))["stage"], "launched");
  EXPECT_EQ(StatusAt("--as-of", absl::StrCat(p[3]))["stage"], "focal_point_appointed");
  EXPECT_EQ(StatusAt("--as-of", absl::StrCat(p[3]))["focal_point"], "Ana Ruiz");
  EXPECT_EQ(StatusAt("--as-of", absl::StrCat(p[3] - 1))["revision"], 2);
  EXPECT_EQ(One({"status", "KEN", "--cycle", "2"})["stage"], "checklist_submitted");

  // By business date: the end of the day counts; overdue is judged on that date.
  json june20 = StatusAt("--as-of", "2016-06-20");
  EXPECT_EQ(june20["stage"], "focal_point_appointed");
  EXPECT_EQ(june20["as_of"], "2016-06-20");
  EXPECT_EQ(june20["overdue"], false);  // kickoff due 2016-07-01
  IrmResult card = Irm({"status", "KEN", "--cycle", "2", "--as-of", "2016-06-20"});
  EXPECT_THAT(card.out, StartsWith("As it stood as of 2016-06-20; overdue judged on 2016-06-20"))
      << card;
  EXPECT_THAT(card.out, HasSubstr("focal_point_appointed")) << card;
  EXPECT_EQ(StatusAt("--as-of", "2016-06-15")["stage"], "focal_point_appointed");
  EXPECT_EQ(StatusAt("--as-of", "2016-06-14")["stage"], "launched");
  json aug2 = StatusAt("--as-of", "2016-08-02");
  EXPECT_EQ(aug2["stage"], "kickoff_held");
  EXPECT_EQ(aug2["overdue"], true) << aug2;  // the checklist was due 2016-08-01
  EXPECT_EQ(StatusAt("--as-of", "2016-08-01")["overdue"], false);
  // A position judges overdue on the business date reached by then, not today.
  json at_kickoff = StatusAt("--as-of", absl::StrCat(p[4]));
  EXPECT_EQ(at_kickoff["as_of"], "2016-07-01");
  EXPECT_EQ(at_kickoff["overdue"], false);

  // Before the review existed: NOT_FOUND saying where its first event is.
  for (const std::string& point : {std::string("2015-11-05"), absl::StrCat(p[0] - 1)}) {
    IrmResult before = Irm({"status", "KEN", "--cycle", "2", "--as-of", point});
    EXPECT_EQ(before.exit_code, 1) << before;
    EXPECT_THAT(before.err, StartsWith("NOT_FOUND:")) << before;
    EXPECT_THAT(before.err, HasSubstr(absl::StrCat("first event is at position ", p[0],
                                                   " (ReviewScheduled on 2015-11-06")))
        << before;
  }

  // --known-at: what the log had recorded by the moment the launch was recorded.
  std::vector<json> events = IrmJson({"history", "KEN", "--cycle", "2"});
  ASSERT_EQ(events.size(), 6u);
  const std::string launch_recorded = events[2]["recorded_at"];
  json known = StatusAt("--known-at", launch_recorded);
  EXPECT_EQ(known["stage"], "launched") << launch_recorded;
  IrmResult too_early = Irm({"status", "KEN", "--cycle", "2", "--known-at", "2001-01-01"});
  EXPECT_THAT(too_early.err, StartsWith("NOT_FOUND:")) << too_early;
  IrmResult malformed = Irm({"status", "KEN", "--cycle", "2", "--known-at", "yesterday"});
  EXPECT_EQ(malformed.exit_code, 1) << malformed;
  EXPECT_THAT(malformed.err, StartsWith("INVALID_ARGUMENT:")) << malformed;
  EXPECT_THAT(malformed.err, HasSubstr("RFC 3339")) << malformed;
  IrmResult bad_as_of = Irm({"status", "KEN", "--cycle", "2", "--as-of", "June"});
  EXPECT_EQ(bad_as_of.exit_code, 2) << bad_as_of;
}

TEST_F(E2eAuditHistoryTest, HistoryListsEveryEventAndExplainsFields) {
  std::vector<uint64_t> p = Advance();
  std::vector<json> events = IrmJson({"history", "KEN", "--cycle", "2"});
  ASSERT_EQ(events.size(), 6u);
  const std::vector<std::string> types = {"ReviewScheduled",     "ReviewersDrawn",
                                          "ReviewLaunched",      "FocalPointAppointed",
                                          "KickoffCallHeld",     "ChecklistSubmitted"};
  const std::vector<std::string> dates = {"2015-11-06", "2016-01-15", "2016-06-01",
                                          "2016-06-15", "2016-07-01", "2016-08-03"};
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]["position"], p[i]);
    EXPECT_EQ(events[i]["revision"], i);
    EXPECT_EQ(events[i]["type"], types[i]);
    EXPECT_EQ(events[i]["on"], dates[i]);
    EXPECT_THAT(events[i]["recorded_at"].get<std::string>(), StartsWith("20"));
    EXPECT_FALSE(events[i]["actor"]["name"].get<std::string>().empty()) << events[i];
    EXPECT_FALSE(events[i]["actor"]["role"].get<std::string>().empty()) << events[i];
  }
  EXPECT_EQ(IrmJson({"history", "KEN", "--cycle", "2", "--as-of", absl::StrCat(p[3])}).size(),
            4u);
  EXPECT_EQ(IrmJson({"history", "KEN", "--cycle", "2", "--as-of", "2016-06-30"}).size(), 4u);

  // The human table: a header, one line per event, a summary.
  IrmResult table = Irm({"history", "KEN", "--cycle", "2"});
  ASSERT_EQ(table.exit_code, 0) << table;
  std::vector<std::string> lines = Lines(table.out);
  ASSERT_EQ(lines.size(), 8u) << table;
  EXPECT_THAT(lines[0], HasSubstr("RECORDED (UTC)"));
  EXPECT_THAT(lines[3], HasSubstr("ReviewLaunched"));
  EXPECT_THAT(lines[3], HasSubstr("2016-06-01"));
  EXPECT_THAT(lines[7], HasSubstr("6 events of review-KEN-2; stage checklist_submitted"));

  IrmResult stage = Irm({"history", "KEN", "--cycle", "2", "--explain", "stage"});
  ASSERT_EQ(stage.exit_code, 0) << stage;
  EXPECT_THAT(stage.out,
              StartsWith(absl::StrCat("stage is checklist_submitted because of event ", p[5],
                                      " (ChecklistSubmitted on 2016-08-03), recorded ")));
  EXPECT_THAT(stage.out, HasSubstr(" by "));
  IrmResult reviewers = Irm({"history", "KEN", "--cycle", "2", "--explain", "reviewers"});
  EXPECT_THAT(reviewers.out, StartsWith(absl::StrCat("reviewers is UGA,FRA because of event ",
                                                     p[1], " (ReviewersDrawn on 2016-01-15)")));
  IrmResult year = Irm({"history", "KEN", "--cycle", "2", "--explain", "year"});
  EXPECT_THAT(year.out, StartsWith(absl::StrCat("year is 1 because of event ", p[0])));
  IrmResult dialogue = Irm({"history", "KEN", "--cycle", "2", "--explain", "dialogue"});
  EXPECT_THAT(dialogue.out, HasSubstr("no event of review-KEN-2 has set it"));
  // As of an earlier point the explanation is that point's.
  IrmResult earlier =
      Irm({"history", "KEN", "--cycle", "2", "--as-of", absl::StrCat(p[2]), "--explain", "stage"});
  EXPECT_THAT(earlier.out, StartsWith(absl::StrCat("stage is launched because of event ", p[2])));
  // Overdue follows from the checklist's due date, set by the kickoff.
  IrmResult overdue = Irm(
      {"history", "KEN", "--cycle", "2", "--as-of", "2016-08-02", "--explain", "overdue"});
  ASSERT_EQ(overdue.exit_code, 0) << overdue;
  EXPECT_THAT(overdue.out, StartsWith("overdue is true as of 2016-08-02 (next step "
                                      "ChecklistSubmitted due 2016-08-01): it follows from "
                                      "checklist_due = 2016-08-01, which is so because of "
                                      "event "));
  EXPECT_THAT(overdue.out, HasSubstr(absl::StrCat(p[4], " (KickoffCallHeld on 2016-07-01)")));
  json explained = One({"history", "KEN", "--cycle", "2", "--explain", "launched_on"});
  EXPECT_EQ(explained["value"], "2016-06-01");
  EXPECT_EQ(explained["position"], p[2]);
  EXPECT_EQ(explained["event"]["type"], "ReviewLaunched");

  IrmResult unknown = Irm({"history", "KEN", "--cycle", "2", "--explain", "colour"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown;
  EXPECT_THAT(unknown.err, HasSubstr("no field 'colour'"));
  EXPECT_THAT(unknown.err, HasSubstr("stage"));
  IrmResult no_cycle = Irm({"history", "KEN"});
  EXPECT_EQ(no_cycle.exit_code, 2) << no_cycle;
  IrmResult no_review = Irm({"history", "FRA", "--cycle", "2"});
  EXPECT_THAT(no_review.err, StartsWith("NOT_FOUND: no review review-FRA-2")) << no_review;
}

TEST_F(E2eAuditHistoryTest, ReplayCheckIsOkOnALoadedServer) {
  IrmResult loaded = Irm({"sample", "load", "--seed", "7"});
  ASSERT_EQ(loaded.exit_code, 0) << loaded;
  IrmResult check = Irm({"admin", "replay-check"});
  EXPECT_EQ(check.exit_code, 0) << check;
  EXPECT_THAT(check.out, HasSubstr("reviews"));
  std::vector<json> rows = IrmJson({"admin", "replay-check"});
  ASSERT_GE(rows.size(), 3u);
  std::vector<std::string> names;
  for (const json& row : rows) {
    names.push_back(row["name"]);
    EXPECT_EQ(row["equal"], true) << row;
    EXPECT_GT(row["position"].get<uint64_t>(), 3000u) << row;
    EXPECT_EQ(row["live_digest"], row["replayed_digest"]) << row;
    EXPECT_EQ(row["live_digest"].get<std::string>().size(), 64u) << row;
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf({"reviews", "needs", "stream_stats"}));

  // Time travel on the sample: every completed review of cycle 1 was not yet completed on
  // the day before its executive summary was issued.
  std::vector<json> completed = IrmJson({"reviews", "--cycle", "1", "--stage", "completed"});
  ASSERT_FALSE(completed.empty());
  const std::string state = completed[0]["state"];
  json explained = One({"history", state, "--cycle", "1", "--explain", "summary_issued_on"});
  const std::string issued = explained["value"];
  ASSERT_EQ(issued.size(), 10u) << explained;
  json day_of = One({"status", state, "--cycle", "1", "--as-of", issued});
  EXPECT_EQ(day_of["stage"], "completed");
  EXPECT_EQ(explained["event"]["type"], "ExecutiveSummaryIssued");
  EXPECT_EQ(explained["event"]["on"], issued);
}

// Rewrites one review's value in the projections column family of a stopped server through
// RocksDB's own API: a valid ReviewState with the wrong stage.
void CorruptReviewsProjection(const std::string& data_dir) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), data_dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(rocksdb::Options(), data_dir, families, &handles, &raw);
  ASSERT_TRUE(opened.ok()) << opened.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* projections = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "projections") projections = handles[i];
  }
  ASSERT_NE(projections, nullptr);
  const std::string prefix = std::string("reviews") + '\0' + "s";
  std::string key, value;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), projections));
    it->Seek(prefix);
    ASSERT_TRUE(it->Valid() && it->key().starts_with(prefix));
    key = it->key().ToString();
    value = it->value().ToString();
  }
  event::v1::ReviewState review;
  ASSERT_TRUE(review.ParseFromString(value));
  ASSERT_EQ(review.state(), "KEN");
  review.set_stage("completed");
  rocksdb::WriteOptions sync;
  sync.sync = true;
  ASSERT_TRUE(db->Put(sync, projections, key, review.SerializeAsString()).ok());
  for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle);
  ASSERT_TRUE(db->Close().ok());
}

TEST_F(E2eAuditHistoryTest, ReplayCheckNamesAProjectionCorruptedOnDisk) {
  Step("schedule", {"--year", "1", "--on", "2015-11-06"});
  Step("assign-reviewers", {"--reviewers", "UGA,FRA", "--on", "2016-01-15"});
  EXPECT_EQ(Irm({"admin", "replay-check"}).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(StopServer());
  CorruptReviewsProjection(data_dir());
  ASSERT_NO_FATAL_FAILURE(StartServer());
  // The live projection now answers wrongly; the log still says reviewers_drawn.
  EXPECT_EQ(One({"status", "KEN", "--cycle", "2"})["stage"], "completed");
  EXPECT_EQ(One({"status", "KEN", "--cycle", "2", "--as-of", "2099-01-01"})["stage"],
            "reviewers_drawn");
  IrmResult check = Irm({"admin", "replay-check"});
  EXPECT_EQ(check.exit_code, 1) << check;
  EXPECT_THAT(check.err, StartsWith("DATA_LOSS:")) << check;
  EXPECT_THAT(check.err, HasSubstr("differ from a replay of the log: reviews;")) << check;
  EXPECT_THAT(check.out, HasSubstr("DIFFERS"));
  IrmResult rows = Irm({"--json", "admin", "replay-check"});
  int differing = 0;
  for (const std::string& line : Lines(rows.out)) {
    json row = json::parse(line);
    if (row["equal"] == false) {
      ++differing;
      EXPECT_EQ(row["name"], "reviews");
    }
  }
  EXPECT_EQ(differing, 1);
  // A rebuild repairs it, and the check passes again.
  EXPECT_EQ(Irm({"admin", "rebuild", "reviews"}).exit_code, 1);  // reports the difference
  EXPECT_EQ(Irm({"admin", "replay-check"}).exit_code, 0);
  EXPECT_EQ(One({"status", "KEN", "--cycle", "2"})["stage"], "reviewers_drawn");
}

}  // namespace
}  // namespace irm::tests
