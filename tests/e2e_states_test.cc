// End-to-end tests of who is a party when (issue 21): `irm states` through the real irm,
// and the draws of the real irmd taking the parties on the draw's business date, with the
// legal-system rule recorded in the draw events.
#include <set>
#include <string>
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

class E2eStatesTest : public ServedLogTest {
 protected:
  E2eStatesTest() : ServedLogTest("irm-e2e-states") {}

  // `irm states --as-of DATE --json`: the codes, checking every object's shape.
  std::set<std::string> PartiesOn(const std::string& date) {
    std::set<std::string> codes;
    for (const json& party : IrmJson({"states", "--as-of", date})) {
      EXPECT_EQ(party.size(), 5u) << party;
      EXPECT_EQ(party["code"].get<std::string>().size(), 3u) << party;
      EXPECT_FALSE(party["name"].get<std::string>().empty()) << party;
      EXPECT_TRUE(party["region"].is_string()) << party;
      EXPECT_TRUE(party["legal_system"].is_array()) << party;
      EXPECT_LE(party["party_since"].get<std::string>(), date) << party;
      codes.insert(party["code"]);
    }
    return codes;
  }

  // The data of every ReviewersDrawn event of review-STATE-2.
  std::vector<json> DrawEvents(const std::string& state) {
    std::vector<json> out;
    for (const json& event : IrmJson({"read", "review-" + state + "-2"})) {
      if (event["type"] == "ReviewersDrawn") out.push_back(event["decoded"]);
    }
    return out;
  }
};

TEST_F(E2eStatesTest, ListsThePartiesOnADate) {
  // 191 once Saint Kitts and Nevis's accession of 6 Aug 2024 took effect (30 days later).
  std::set<std::string> september = PartiesOn("2024-09-05");
  EXPECT_EQ(september.size(), 191u);
  EXPECT_EQ(september.count("KNA"), 1u);
  EXPECT_EQ(september.count("VAT"), 1u);
  EXPECT_EQ(september.count("EUU"), 1u);
  EXPECT_EQ(september.count("SMR"), 0u);
  EXPECT_EQ(september.count("VCT"), 0u);
  // On 31 Aug 2024 the depositary already counted 191 parties, but Saint Kitts and Nevis
  // became one on 5 Sep 2024 (article 68(2)).
  std::set<std::string> august = PartiesOn("2024-08-31");
  EXPECT_EQ(august.size(), 190u);
  EXPECT_EQ(august.count("KNA"), 0u);
  EXPECT_EQ(august.count("VAT"), 1u);
  EXPECT_EQ(PartiesOn("2025-10-24").count("SMR"), 0u);
  EXPECT_EQ(PartiesOn("2025-10-25").count("SMR"), 1u);
  EXPECT_EQ(PartiesOn("2016-10-18").count("VAT"), 0u);
  EXPECT_EQ(PartiesOn("2016-10-19").count("VAT"), 1u);

  json holy_see;
  for (const json& party : IrmJson({"states", "--as-of", "2024-09-05"})) {
    if (party["code"] == "VAT") holy_see = party;
  }
  EXPECT_EQ(holy_see["name"], "Holy See");
  EXPECT_EQ(holy_see["region"], "western_european_other");
  EXPECT_EQ(holy_see["party_since"], "2016-10-19");
  EXPECT_EQ(holy_see["legal_system"], json::parse(R"(["civil_law"])"));

  IrmResult table = Irm({"states", "--as-of", "2024-09-05"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_THAT(table.out, HasSubstr("Holy See"));
  EXPECT_THAT(table.out, HasSubstr("191 parties on 2024-09-05"));
  EXPECT_EQ(Irm({"states"}).exit_code, 0);  // today

  IrmResult bad = Irm({"states", "--as-of", "2024-02-30"});
  EXPECT_EQ(bad.exit_code, 2) << bad;
  EXPECT_THAT(bad.err, HasSubstr("--as-of '2024-02-30' is not a date")) << bad;
  IrmResult help = Irm({"states", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help;
  EXPECT_THAT(help.out, HasSubstr("article 68(2)"));
}

// Draws take the parties on their business date: the Holy See (a party from 2016-10-19) is
// not in a 2015 year draw, joins year 5 by a later draw, is not drawn before its date, and
// is drawn after it. Draw events record rule 1 and the legal systems.
TEST_F(E2eStatesTest, DrawsUseThePartiesOnTheDrawDate) {
  ASSERT_EQ(Irm({"lots", "draw-years", "--cycle", "2", "--seed", "5", "--on", "2015-11-06"})
                .exit_code,
            0);
  IrmResult missing = Irm({"status", "VAT", "--cycle", "2"});
  EXPECT_THAT(missing.err, StartsWith("NOT_FOUND")) << missing;
  const size_t first = IrmJson({"reviews", "--cycle", "2"}).size();
  EXPECT_EQ(first, IrmJson({"states", "--as-of", "2015-11-06"}).size() - 1);  // less the EU

  // A later draw-years schedules the States that became parties since in year 5.
  ASSERT_EQ(Irm({"lots", "draw-years", "--cycle", "2", "--seed", "6", "--on", "2017-01-01"})
                .exit_code,
            0);
  json holy_see = One({"status", "VAT", "--cycle", "2"});
  EXPECT_EQ(holy_see["year"], 5) << holy_see;
  EXPECT_EQ(holy_see["region"], "western_european_other");
  EXPECT_GT(IrmJson({"reviews", "--cycle", "2"}).size(), first);

  // Year 1 drawn before the Holy See's date: it is no candidate anywhere.
  ASSERT_EQ(Irm({"lots", "draw", "--cycle", "2", "--year", "1", "--seed", "1", "--on",
                 "2016-01-15"})
                .exit_code,
            0);
  for (const json& review : IrmJson({"reviews", "--cycle", "2", "--year", "1"})) {
    std::vector<json> draws = DrawEvents(review["state"]);
    ASSERT_EQ(draws.size(), 1u) << review;
    const json& drawn = draws[0];
    EXPECT_EQ(drawn["draw_rule"], 1) << drawn;
    for (const char* list : {"slot1_candidates", "slot2_candidates"}) {
      for (const json& c : drawn[list]) EXPECT_NE(c, "VAT") << drawn;
    }
    ASSERT_TRUE(drawn["legal_systems"].is_string()) << drawn;
    EXPECT_EQ(drawn["slot1_candidate_legal_systems"].size(), drawn["slot1_candidates"].size());
  }
  // Year 5 drawn on 2016-10-18: the Holy See is not yet a party and stays scheduled.
  ASSERT_EQ(Irm({"lots", "draw", "--cycle", "2", "--year", "5", "--seed", "2", "--on",
                 "2016-10-18"})
                .exit_code,
            0);
  EXPECT_EQ(One({"status", "VAT", "--cycle", "2"})["stage"], "scheduled");
  // From its date it is drawn, under rule 1, with a similar legal system in slot 1.
  ASSERT_EQ(Irm({"lots", "draw", "--cycle", "2", "--year", "5", "--seed", "3", "--on",
                 "2017-01-15"})
                .exit_code,
            0);
  json drawn_status = One({"status", "VAT", "--cycle", "2"});
  EXPECT_EQ(drawn_status["stage"], "reviewers_drawn") << drawn_status;
  std::vector<json> draws = DrawEvents("VAT");
  ASSERT_EQ(draws.size(), 1u);
  EXPECT_EQ(draws[0]["draw_rule"], 1);
  EXPECT_EQ(draws[0]["legal_systems"], "civil_law");
  const json& slot1_systems = draws[0]["slot1_candidate_legal_systems"];
  for (const json& systems : slot1_systems) {
    EXPECT_THAT(systems.get<std::string>(), HasSubstr("civil_law")) << draws[0];
  }
}

}  // namespace
}  // namespace irm::tests
