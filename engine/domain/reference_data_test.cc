#include "engine/domain/reference_data.h"

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace irm::domain {
namespace {

using ::testing::HasSubstr;

// Debian's iso-codes package; the tests that need it skip when it is absent.
constexpr char kIsoCodesPath[] = "/usr/share/iso-codes/json/iso_3166-1.json";

TEST(RegionTest, NamesRoundTrip) {
  ASSERT_EQ(AllRegions().size(), 5u);
  for (Region region : AllRegions()) {
    auto parsed = ParseRegion(RegionName(region));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, region);
  }
  EXPECT_EQ(RegionName(Region::kLatinAmericanCaribbean), "latin_american_caribbean");
}

TEST(RegionTest, RejectsUnknownNameListingValidOnes) {
  auto parsed = ParseRegion("WEOG");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("'WEOG'"));
  for (Region region : AllRegions()) {
    EXPECT_THAT(parsed.status().message(), HasSubstr(std::string(RegionName(region))));
  }
}

TEST(StatesPartiesTest, CountsAndRegionsOfEveryRecordedParty) {
  absl::Span<const StateParty> parties = AllStatesParties();
  EXPECT_EQ(parties.size(), 192u);
  std::map<Region, int> per_region;
  for (const StateParty& party : parties) ++per_region[party.region];
  std::vector<std::string> counts;
  for (Region region : AllRegions()) {
    counts.push_back(absl::StrCat(RegionName(region), " ", per_region[region]));
  }
  std::cout << "States parties per regional group: " << absl::StrJoin(counts, ", ") << "\n";
  EXPECT_EQ(per_region[Region::kAfrican], 53);
  EXPECT_EQ(per_region[Region::kAsiaPacific], 55);
  EXPECT_EQ(per_region[Region::kEasternEuropean], 23);
  EXPECT_EQ(per_region[Region::kLatinAmericanCaribbean], 32);
  EXPECT_EQ(per_region[Region::kWesternEuropeanOther], 29);
}

// Every deposit date is a real date; PartySince is 30 days after it, never before the
// Convention's entry into force.
TEST(StatesPartiesTest, PartySinceFollowsArticle68) {
  for (const StateParty& party : AllStatesParties()) {
    ASSERT_EQ(party.deposited.size(), 10u) << party.code;
    const absl::CivilDay since = PartySince(party);
    EXPECT_GE(since, kConventionInForce) << party.code;
    EXPECT_LE(since, absl::CivilDay(2025, 10, 25)) << party.code;
    EXPECT_EQ(absl::FormatCivilTime(since).size(), 10u);
  }
  auto ecuador = FindStateParty("ECU");  // the thirtieth instrument, 15 Sep 2005
  ASSERT_TRUE(ecuador.ok());
  EXPECT_EQ(PartySince(**ecuador), kConventionInForce);
  auto holy_see = FindStateParty("VAT");
  ASSERT_TRUE(holy_see.ok()) << holy_see.status();
  EXPECT_EQ((*holy_see)->name, "Holy See");
  EXPECT_EQ(PartySince(**holy_see), absl::CivilDay(2016, 10, 19));
  auto san_marino = FindStateParty("SMR");
  ASSERT_TRUE(san_marino.ok());
  EXPECT_EQ(PartySince(**san_marino), absl::CivilDay(2025, 10, 25));
  EXPECT_FALSE(IsPartyOn("SMR", absl::CivilDay(2025, 10, 24)));
  EXPECT_TRUE(IsPartyOn("SMR", absl::CivilDay(2025, 10, 25)));
  EXPECT_FALSE(IsPartyOn("VCT", absl::CivilDay(2025, 10, 25)));
  EXPECT_FALSE(IsPartyOn("XYZ", absl::CivilDay(2025, 10, 25)));
}

// 191 parties once Saint Kitts and Nevis's accession (6 Aug 2024) took effect: 186 UN
// Members and 5 others (Cook Islands, Niue, State of Palestine, Holy See, EU).
TEST(StatesPartiesTest, CompositionMatchesThePublishedCount) {
  const std::vector<const StateParty*> parties = PartiesOn(absl::CivilDay(2024, 9, 5));
  EXPECT_EQ(parties.size(), 191u);
  const std::set<std::string> non_members = {"COK", "NIU", "PSE", "VAT", "EUU"};
  int others = 0;
  for (const StateParty* party : parties) others += non_members.count(std::string(party->code));
  EXPECT_EQ(others, 5);
  EXPECT_EQ(PartiesOn(absl::CivilDay(2024, 9, 4)).size(), 190u);  // before KNA's date
  EXPECT_EQ(PartiesOn(absl::CivilDay(2025, 10, 25)).size(), 192u);
  EXPECT_EQ(PartiesOn(absl::CivilDay(2005, 12, 13)).size(), 0u);
}

TEST(StatesPartiesTest, LegalSystemsUseTheFourFamilies) {
  for (const StateParty& party : AllStatesParties()) {
    EXPECT_EQ(party.legal_systems & ~0x0f, 0) << party.code;
    EXPECT_EQ(party.legal_systems == 0, party.is_regional_organization) << party.code;
  }
  EXPECT_THAT(LegalFamilyNames(kCivilLaw | kCustomaryLaw),
              ::testing::ElementsAre("civil_law", "customary_law"));
  EXPECT_TRUE(SimilarLegalSystems(kCivilLaw | kMuslimLaw, kMuslimLaw));
  EXPECT_FALSE(SimilarLegalSystems(kCommonLaw, kCivilLaw | kMuslimLaw));
}

TEST(StatesPartiesTest, SortedUniqueUpperCaseCodes) {
  absl::Span<const StateParty> parties = AllStatesParties();
  for (size_t i = 0; i < parties.size(); ++i) {
    EXPECT_EQ(parties[i].code.size(), 3u) << parties[i].code;
    for (char c : parties[i].code) {
      EXPECT_TRUE(c >= 'A' && c <= 'Z') << parties[i].code;
    }
    EXPECT_FALSE(parties[i].name.empty()) << parties[i].code;
    if (i > 0) {
      EXPECT_LT(parties[i - 1].code, parties[i].code);
    }
  }
}

TEST(StatesPartiesTest, OnlyTheEuropeanUnionIsARegionalOrganization) {
  for (const StateParty& party : AllStatesParties()) {
    EXPECT_EQ(party.is_regional_organization, party.code == "EUU") << party.code;
  }
  auto eu = FindStateParty("EUU");
  ASSERT_TRUE(eu.ok()) << eu.status();
  EXPECT_EQ((*eu)->name, "European Union");
  EXPECT_EQ((*eu)->region, Region::kWesternEuropeanOther);
}

TEST(StatesPartiesTest, CodesAreIso3166Alpha3) {
  std::ifstream in(kIsoCodesPath);
  if (!in) GTEST_SKIP() << kIsoCodesPath << " not installed";
  nlohmann::json iso = nlohmann::json::parse(in);
  std::set<std::string> codes;
  for (const auto& country : iso.at("3166-1")) codes.insert(country.at("alpha_3"));
  ASSERT_GT(codes.size(), 240u);
  for (const StateParty& party : AllStatesParties()) {
    if (party.is_regional_organization) continue;
    EXPECT_EQ(codes.count(std::string(party.code)), 1u) << party.code << " " << party.name;
  }
}

TEST(StatesPartiesTest, KnownMembersAndGroups) {
  const std::pair<const char*, Region> expected[] = {
      {"KEN", Region::kAfrican},
      {"FRA", Region::kWesternEuropeanOther},
      {"BRA", Region::kLatinAmericanCaribbean},
      {"RUS", Region::kEasternEuropean},
      {"CHN", Region::kAsiaPacific},
      {"USA", Region::kWesternEuropeanOther},
      {"TUR", Region::kWesternEuropeanOther},
      {"ISR", Region::kWesternEuropeanOther},
      {"AUS", Region::kWesternEuropeanOther},
      {"NZL", Region::kWesternEuropeanOther},
      {"CAN", Region::kWesternEuropeanOther},
      {"CYP", Region::kAsiaPacific},
      {"KIR", Region::kAsiaPacific},
      {"PSE", Region::kAsiaPacific},
      {"EST", Region::kEasternEuropean},
      {"LVA", Region::kEasternEuropean},
      {"LTU", Region::kEasternEuropean},
      {"SOM", Region::kAfrican},
      {"KNA", Region::kLatinAmericanCaribbean},
  };
  for (const auto& [code, region] : expected) {
    auto party = FindStateParty(code);
    ASSERT_TRUE(party.ok()) << party.status();
    EXPECT_EQ((*party)->code, code);
    EXPECT_EQ((*party)->region, region) << code << " is in " << RegionName((*party)->region);
  }
  EXPECT_EQ((*FindStateParty("KEN"))->name, "Kenya");
}

TEST(StatesPartiesTest, NonPartiesAreAbsent) {
  // Never parties (as far as the sources here go); VCT: see states_parties.cc.
  for (const char* code : {"PRK", "ERI", "AND", "MCO", "SYR", "VCT"}) {
    EXPECT_FALSE(FindStateParty(code).ok()) << code;
  }
}

TEST(StatesPartiesTest, RejectsUnknownCodeNamingIt) {
  for (const char* bad : {"XYZ", "", "KE", "KENY", "K3N"}) {
    auto party = FindStateParty(bad);
    ASSERT_FALSE(party.ok()) << bad;
    EXPECT_EQ(party.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(party.status().message(), HasSubstr(absl::StrCat("'", bad, "'")));
    EXPECT_THAT(party.status().message(), HasSubstr("ISO 3166 alpha-3"));
  }
  EXPECT_EQ(FindStateParty("XYZ").status().message(),
            "unknown State party code 'XYZ': expected an ISO 3166 alpha-3 code of a State "
            "party, e.g. KEN");
}

TEST(StatesPartiesTest, LowerCaseCodeIsRejectedWithTheUpperCaseHint) {
  auto party = FindStateParty("ken");
  ASSERT_FALSE(party.ok());
  EXPECT_EQ(party.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(party.status().message(), HasSubstr("'ken'"));
  EXPECT_THAT(party.status().message(), HasSubstr("KEN"));
}

TEST(ArticlesTest, ContiguousWithChaptersAndCycles) {
  absl::Span<const Article> articles = AllArticles();
  ASSERT_EQ(articles.size(), 55u);
  for (size_t i = 0; i < articles.size(); ++i) {
    const Article& a = articles[i];
    EXPECT_EQ(a.number, static_cast<int>(i) + 5);
    EXPECT_FALSE(a.title.empty()) << a.number;
    absl::string_view chapter = a.number <= 14   ? "II"
                                : a.number <= 42 ? "III"
                                : a.number <= 50 ? "IV"
                                                 : "V";
    EXPECT_EQ(a.chapter, chapter) << a.number;
    EXPECT_EQ(a.cycle, (chapter == "III" || chapter == "IV") ? 1 : 2) << a.number;
    auto found = FindArticle(a.number);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_EQ(*found, &a);
  }
}

TEST(ArticlesTest, Titles) {
  EXPECT_EQ((*FindArticle(15))->title, "Bribery of national public officials");
  EXPECT_EQ((*FindArticle(43))->title, "International cooperation");
  EXPECT_EQ((*FindArticle(44))->title, "Extradition");
  EXPECT_EQ((*FindArticle(46))->title, "Mutual legal assistance");
  EXPECT_EQ((*FindArticle(58))->title, "Financial intelligence unit");
  EXPECT_EQ((*FindArticle(5))->title, "Preventive anti-corruption policies and practices");
}

TEST(ArticlesTest, RejectsArticleOutsideReviewNamingIt) {
  for (int bad : {4, 60, 0, -1}) {
    auto article = FindArticle(bad);
    ASSERT_FALSE(article.ok()) << bad;
    EXPECT_EQ(article.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(article.status().message(), HasSubstr(absl::StrCat("article ", bad, " ")));
  }
  EXPECT_EQ(FindArticle(4).status().message(), "article 4 is not under review: articles 5-59 are");
}

TEST(ArticlesTest, ChecksArticleInCycle) {
  EXPECT_TRUE(CheckArticleInCycle(15, 1).ok());
  EXPECT_TRUE(CheckArticleInCycle(50, 1).ok());
  EXPECT_TRUE(CheckArticleInCycle(5, 2).ok());
  EXPECT_TRUE(CheckArticleInCycle(59, 2).ok());
  absl::Status status = CheckArticleInCycle(15, 2);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "article 15 is in chapter III, reviewed in cycle 1, not cycle 2; cycle 2 reviews "
            "articles 5-14 and 51-59");
  status = CheckArticleInCycle(52, 1);
  EXPECT_EQ(status.message(),
            "article 52 is in chapter V, reviewed in cycle 2, not cycle 1; cycle 1 reviews "
            "articles 15-50");
  EXPECT_THAT(CheckArticleInCycle(4, 2).message(), HasSubstr("article 4 "));
  EXPECT_THAT(CheckArticleInCycle(15, 3).message(), HasSubstr("cycle 3"));
}

TEST(CycleTest, OnlyOneAndTwo) {
  EXPECT_TRUE(CheckCycle(1).ok());
  EXPECT_TRUE(CheckCycle(2).ok());
  for (int bad : {0, 3, -1}) {
    absl::Status status = CheckCycle(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat("cycle ", bad, " ")));
  }
}

TEST(LinkedArticleTest, PairsAreSymmetric) {
  EXPECT_EQ(LinkedArticle(8), 52);
  EXPECT_EQ(LinkedArticle(52), 8);
  EXPECT_EQ(LinkedArticle(14), 58);
  EXPECT_EQ(LinkedArticle(58), 14);
  for (int other : {5, 9, 15, 51, 59, 0}) EXPECT_EQ(LinkedArticle(other), std::nullopt) << other;
}

TEST(NeedCategoriesTest, ListsPerCycle) {
  EXPECT_THAT(NeedCategories(1),
              ::testing::ElementsAre("legislative_drafting", "model_legislation", "action_plan",
                                     "good_practices", "model_agreement", "capacity_building",
                                     "on_site_expert", "technological_assistance", "other"));
  EXPECT_THAT(
      NeedCategories(2),
      ::testing::ElementsAre("capacity_building", "legislative_assistance", "institution_building",
                             "policymaking", "research_data", "international_cooperation",
                             "technological_assistance", "other"));
  EXPECT_TRUE(NeedCategories(3).empty());
}

TEST(NeedCategoriesTest, ChecksCategoryNamingItAndListingValidOnes) {
  EXPECT_TRUE(CheckNeedCategory(1, "model_legislation").ok());
  EXPECT_TRUE(CheckNeedCategory(2, "policymaking").ok());
  absl::Status status = CheckNeedCategory(2, "model_legislation");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("'model_legislation'"));
  EXPECT_THAT(status.message(), HasSubstr("cycle 2"));
  for (absl::string_view valid : NeedCategories(2)) {
    EXPECT_THAT(status.message(), HasSubstr(std::string(valid)));
  }
  EXPECT_EQ(CheckNeedCategory(5, "other").code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace irm::domain
