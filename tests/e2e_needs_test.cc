// End-to-end tests of `irm report needs`: the real irmd, the data set of
// tests/needs_data_set.h loaded through the real `irm` commands, and the report read back
// through the real `irm` in every format. The figures checked are those of the secretariat's
// 2019 note (domain.md section 7); docs/needs.md lists the data set's exact counts.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/needs_data_set.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

class E2eNeedsTest : public ServedLogTest {
 protected:
  E2eNeedsTest() : ServedLogTest("irm-e2e-needs") {}

  // irmd with the sample data set loaded through the real irm commands.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ServedLogTest::SetUp());
    absl::StatusOr<LoadedDataSet> loaded = LoadNeedsDataSet(irmd_->address());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->reviews, 35);
    EXPECT_EQ(loaded->needs, 294);
  }

  // `irm report needs ARGS --format json`: the one object it prints.
  json Report(std::vector<std::string> args) {
    args.insert(args.begin(), {"report", "needs"});
    args.insert(args.end(), {"--format", "json"});
    IrmResult result = Irm(args);
    EXPECT_EQ(result.exit_code, 0) << result;
    std::vector<std::string> lines = Lines(result.out);
    EXPECT_EQ(lines.size(), 1u) << result;
    return lines.empty() ? json::object() : json::parse(lines[0], nullptr, false);
  }

  // key -> {needs, states} of a report's groups.
  static std::map<std::string, std::pair<int, int>> Groups(const json& report) {
    std::map<std::string, std::pair<int, int>> groups;
    for (const json& g : report["groups"]) groups[g["key"]] = {g["needs"], g["states"]};
    return groups;
  }
};

using Counts = std::pair<int, int>;  // needs, States

TEST_F(E2eNeedsTest, ReproducesTheCycle2FiguresOfThe2019Note) {
  // [9], [10], [11]: 27 summaries, 17 States with needs, 282 needs, 175 (62.1 %) chapter II
  // and 107 (37.9 %) chapter V.
  json by_chapter = Report({"--cycle", "2"});
  EXPECT_EQ(by_chapter["cycle"], 2);
  EXPECT_EQ(by_chapter["by"], "chapter");
  EXPECT_TRUE(by_chapter["as_of"].is_null());
  EXPECT_EQ(by_chapter["summaries_issued"], 27);
  EXPECT_EQ(by_chapter["total_needs"], 282);
  EXPECT_EQ(by_chapter["states_with_needs"], 17);
  EXPECT_EQ(Groups(by_chapter),
            (std::map<std::string, Counts>{{"II", {175, 17}}, {"V", {107, 15}}}));
  EXPECT_EQ(by_chapter["groups"][0]["key"], "II");  // natural order

  // [12], [15]: capacity building 115, legislative assistance 55, institution building 38.
  auto category = Groups(Report({"--cycle", "2", "--by", "category"}));
  EXPECT_EQ(category["capacity_building"].first, 115);
  EXPECT_EQ(category["legislative_assistance"].first, 55);
  EXPECT_EQ(category["institution_building"].first, 38);
  int sum = 0;
  for (const auto& [key, counts] : category) sum += counts.first;
  EXPECT_EQ(sum, 282);

  // [16]: article 5: 24 needs from 9 States; 9: 19 from 10; 7 and 13: 20 each from 9 and 8.
  auto article = Groups(Report({"--cycle", "2", "--by", "article"}));
  EXPECT_EQ(article["5"], Counts(24, 9));
  EXPECT_EQ(article["9"], Counts(19, 10));
  EXPECT_EQ(article["7"], Counts(20, 9));
  EXPECT_EQ(article["13"], Counts(20, 8));
  // [16]: 17 States with chapter II needs.
  json chapter2 = Report({"--cycle", "2", "--by", "article", "--chapter", "II"});
  EXPECT_EQ(chapter2["total_needs"], 175);
  EXPECT_EQ(chapter2["states_with_needs"], 17);
  EXPECT_EQ(chapter2["groups"].size(), 10u);

  // States with needs by regional group (the data set's own spread; sums to 17).
  EXPECT_EQ(Groups(Report({"--cycle", "2", "--by", "region"})),
            (std::map<std::string, Counts>{{"african", {116, 6}},
                                           {"asia_pacific", {82, 5}},
                                           {"eastern_european", {34, 2}},
                                           {"latin_american_caribbean", {42, 3}},
                                           {"western_european_other", {8, 1}}}));
  auto state = Groups(Report({"--cycle", "2", "--by", "state"}));
  EXPECT_EQ(state.size(), 17u);
  EXPECT_EQ(state["KEN"], Counts(24, 1));

  // Cycle 1's needs stay out of cycle 2 and count with both.
  EXPECT_EQ(Report({"--cycle", "1"})["total_needs"], 12);
  json both = Report({});
  EXPECT_TRUE(both["cycle"].is_null());
  EXPECT_EQ(both["total_needs"], 294);
  EXPECT_EQ(both["states_with_needs"], 18);  // FRA identified needs in cycle 1 only
}

TEST_F(E2eNeedsTest, AsOfAndCompareGiveTheEarlierAnalysis) {
  // [10]: 164 needs at the previous analysis.
  json then = Report({"--cycle", "2", "--as-of", "2018-09-30"});
  EXPECT_EQ(then["as_of"], "2018-09-30");
  EXPECT_EQ(then["total_needs"], 164);
  EXPECT_EQ(then["states_with_needs"], 10);
  EXPECT_EQ(then["summaries_issued"], 15);
  EXPECT_EQ(Report({"--cycle", "2", "--as-of", "2017-01-01"})["total_needs"], 0);

  json compared = Report({"--cycle", "2", "--as-of", "2019-09-30", "--compare", "2018-09-30"});
  EXPECT_EQ(compared["total_needs"], 282);
  EXPECT_EQ(compared["compare"]["as_of"], "2018-09-30");
  EXPECT_EQ(compared["compare"]["total_needs"], 164);
  EXPECT_EQ(compared["compare"]["delta_needs"], 118);
  EXPECT_EQ(compared["compare"]["delta_states"], 7);
  int delta = 0;
  for (const json& g : compared["compare"]["groups"]) delta += g["delta_needs"].get<int>();
  EXPECT_EQ(delta, 118);

  IrmResult table = Irm({"report", "needs", "--cycle", "2", "--compare", "2018-09-30"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_THAT(table.out, HasSubstr("282 needs against 164 on 2018-09-30 (+118)"));
  EXPECT_THAT(table.out, HasSubstr("27 executive summaries issued; 17 States with needs"));
  IrmResult csv = Irm({"report", "needs", "--cycle", "2", "--by", "category", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv;
  std::vector<std::string> rows = Lines(csv.out);
  ASSERT_EQ(rows.size(), 9u) << csv;
  EXPECT_EQ(rows[0], "key,label,needs,states,identified,current,anticipated,addressed,unmet");
  EXPECT_THAT(rows[1], ::testing::StartsWith("capacity_building,Capacity building,115,"));

  IrmResult bad = Irm({"report", "needs", "--as-of", "2018-01-01", "--compare", "2019-01-01"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, ::testing::StartsWith("INVALID_ARGUMENT:"));
  EXPECT_NE(Irm({"report", "needs", "--by", "year"}).exit_code, 0);
}

TEST_F(E2eNeedsTest, StatusChangesNeverChangeTheCounts) {
  std::vector<json> before;
  for (const char* by : {"chapter", "article", "category", "region", "state"}) {
    before.push_back(Report({"--cycle", "2", "--by", by}));
  }
  EXPECT_EQ(before[0]["statuses"]["addressed"], 10);
  for (const char* id : {"KEN-2-1", "KEN-2-2", "RWA-2-3", "ITA-2-8"}) {
    IrmResult changed = Irm({"need", "status", id, "--status", "addressed", "--provider", "UNODC",
                             "--on", "2020-03-02"});
    ASSERT_EQ(changed.exit_code, 0) << changed;
  }
  ASSERT_EQ(Irm({"need", "status", "KEN-2-1", "--status", "unmet", "--on", "2020-06-01"}).exit_code,
            0);
  int i = 0;
  for (const char* by : {"chapter", "article", "category", "region", "state"}) {
    json after = Report({"--cycle", "2", "--by", by});
    EXPECT_EQ(after["total_needs"], before[i]["total_needs"]) << by;
    EXPECT_EQ(after["states_with_needs"], before[i]["states_with_needs"]) << by;
    EXPECT_EQ(Groups(after), Groups(before[i])) << by;
    ++i;
  }
  json now = Report({"--cycle", "2"});
  int statuses = 0;
  for (const auto& [status, n] : now["statuses"].items()) statuses += n.get<int>();
  EXPECT_EQ(statuses, 282);
  EXPECT_GT(now["statuses"]["addressed"].get<int>(), 10);
  EXPECT_GE(now["statuses"]["unmet"].get<int>(), 6);
  // The status as of a date before the changes is the earlier one.
  json earlier = Report({"--cycle", "2", "--as-of", "2019-09-30"});
  EXPECT_EQ(earlier["total_needs"], 282);
  EXPECT_LE(earlier["statuses"]["addressed"].get<int>(), 10);
}

}  // namespace
}  // namespace irm::tests
