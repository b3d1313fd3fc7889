// The articles of the Convention under review (5-59), the cycles that review them, the
// links between articles, and the need categories of each cycle. See reference_data.h.
//
// Sources (issue 21 asks each reference-data file to name them, and to mark what could not
// be confirmed from here; checked 2026-12-04):
//  - article numbers, chapters and headings: the Convention's own text (General Assembly
//    resolution 58/4 of 31 October 2003, annex). Headings as recalled from that text, not
//    re-read against it here: unconfirmed letter for letter.
//  - cycles: the Terms of Reference of the Mechanism (Conference resolution 3/1, annex,
//    paragraph 3): chapters III and IV in the first cycle, II and V in the second; also
//    domain.md section 5.
//  - linked articles (8 with 52, 14 with 58) and the need categories of both cycles:
//    domain.md section 4 (the secretariat's checklist list for cycle 1, its coding of free-text
//    needs for cycle 2). The secretariat's own documents could not be reached from here:
//    unconfirmed beyond domain.md.
//
// Titles are the Convention's own article headings. For chapter II, domain.md section 5
// gives shortened forms of them ("preventive body" for article 6, whose heading is
// "Preventive anti-corruption body or bodies").

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"

namespace irm::domain {
namespace {

constexpr int kFirstArticle = 5;
constexpr int kLastArticle = 59;

// Indexed by number - kFirstArticle; a test checks that the numbers are contiguous.
constexpr Article kArticles[] = {
    // Chapter II, preventive measures: cycle 2.
    {5, "II", 2, "Preventive anti-corruption policies and practices"},
    {6, "II", 2, "Preventive anti-corruption body or bodies"},
    {7, "II", 2, "Public sector"},
    {8, "II", 2, "Codes of conduct for public officials"},
    {9, "II", 2, "Public procurement and management of public finances"},
    {10, "II", 2, "Public reporting"},
    {11, "II", 2, "Measures relating to the judiciary and prosecution services"},
    {12, "II", 2, "Private sector"},
    {13, "II", 2, "Participation of society"},
    {14, "II", 2, "Measures to prevent money-laundering"},
    // Chapter III, criminalization and law enforcement: cycle 1.
    {15, "III", 1, "Bribery of national public officials"},
    {16, "III", 1,
     "Bribery of foreign public officials and officials of public international "
     "organizations"},
    {17, "III", 1,
     "Embezzlement, misappropriation or other diversion of property by a public "
     "official"},
    {18, "III", 1, "Trading in influence"},
    {19, "III", 1, "Abuse of functions"},
    {20, "III", 1, "Illicit enrichment"},
    {21, "III", 1, "Bribery in the private sector"},
    {22, "III", 1, "Embezzlement of property in the private sector"},
    {23, "III", 1, "Laundering of proceeds of crime"},
    {24, "III", 1, "Concealment"},
    {25, "III", 1, "Obstruction of justice"},
    {26, "III", 1, "Liability of legal persons"},
    {27, "III", 1, "Participation and attempt"},
    {28, "III", 1, "Knowledge, intent and purpose as elements of an offence"},
    {29, "III", 1, "Statute of limitations"},
    {30, "III", 1, "Prosecution, adjudication and sanctions"},
    {31, "III", 1, "Freezing, seizure and confiscation"},
    {32, "III", 1, "Protection of witnesses, experts and victims"},
    {33, "III", 1, "Protection of reporting persons"},
    {34, "III", 1, "Consequences of acts of corruption"},
    {35, "III", 1, "Compensation for damage"},
    {36, "III", 1, "Specialized authorities"},
    {37, "III", 1, "Cooperation with law enforcement authorities"},
    {38, "III", 1, "Cooperation between national authorities"},
    {39, "III", 1, "Cooperation between national authorities and the private sector"},
    {40, "III", 1, "Bank secrecy"},
    {41, "III", 1, "Criminal record"},
    {42, "III", 1, "Jurisdiction"},
    // Chapter IV, international cooperation: cycle 1.
    {43, "IV", 1, "International cooperation"},
    {44, "IV", 1, "Extradition"},
    {45, "IV", 1, "Transfer of sentenced persons"},
    {46, "IV", 1, "Mutual legal assistance"},
    {47, "IV", 1, "Transfer of criminal proceedings"},
    {48, "IV", 1, "Law enforcement cooperation"},
    {49, "IV", 1, "Joint investigations"},
    {50, "IV", 1, "Special investigative techniques"},
    // Chapter V, asset recovery: cycle 2.
    {51, "V", 2, "General provision"},
    {52, "V", 2, "Prevention and detection of transfers of proceeds of crime"},
    {53, "V", 2, "Measures for direct recovery of property"},
    {54, "V", 2,
     "Mechanisms for recovery of property through international cooperation in "
     "confiscation"},
    {55, "V", 2, "International cooperation for purposes of confiscation"},
    {56, "V", 2, "Special cooperation"},
    {57, "V", 2, "Return and disposal of assets"},
    {58, "V", 2, "Financial intelligence unit"},
    {59, "V", 2, "Bilateral and multilateral agreements and arrangements"},
};

// The same need may be recorded under both articles of a pair (domain.md section 4).
constexpr int kLinkedArticles[][2] = {{8, 52}, {14, 58}};

constexpr absl::string_view kCycle1NeedCategories[] = {
    "legislative_drafting", "model_legislation",        "action_plan",
    "good_practices",       "model_agreement",          "capacity_building",
    "on_site_expert",       "technological_assistance", "other",
};

constexpr absl::string_view kCycle2NeedCategories[] = {
    "capacity_building", "legislative_assistance",    "institution_building",     "policymaking",
    "research_data",     "international_cooperation", "technological_assistance", "other",
};

absl::string_view ArticlesOfCycle(int cycle) {
  return cycle == 1 ? "articles 15-50" : "articles 5-14 and 51-59";
}

}  // namespace

absl::Status CheckCycle(int cycle) {
  if (cycle == 1 || cycle == 2) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("cycle ", cycle,
                   " does not exist: expected 1 (chapters III and IV) or 2 (chapters II and V)"));
}

absl::Span<const Article> AllArticles() { return kArticles; }

absl::StatusOr<const Article*> FindArticle(int number) {
  if (number < kFirstArticle || number > kLastArticle) {
    return absl::InvalidArgumentError(absl::StrCat("article ", number,
                                                   " is not under review: articles ", kFirstArticle,
                                                   "-", kLastArticle, " are"));
  }
  return &kArticles[number - kFirstArticle];
}

absl::Status CheckArticleInCycle(int article, int cycle) {
  IRM_RETURN_IF_ERROR(CheckCycle(cycle));
  IRM_ASSIGN_OR_RETURN(const Article* a, FindArticle(article));
  if (a->cycle == cycle) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "article ", article, " is in chapter ", a->chapter, ", reviewed in cycle ", a->cycle,
      ", not cycle ", cycle, "; cycle ", cycle, " reviews ", ArticlesOfCycle(cycle)));
}

std::optional<int> LinkedArticle(int article) {
  for (const auto& pair : kLinkedArticles) {
    if (pair[0] == article) return pair[1];
    if (pair[1] == article) return pair[0];
  }
  return std::nullopt;
}

absl::Span<const absl::string_view> NeedCategories(int cycle) {
  if (cycle == 1) return kCycle1NeedCategories;
  if (cycle == 2) return kCycle2NeedCategories;
  return {};
}

absl::Status CheckNeedCategory(int cycle, absl::string_view category) {
  IRM_RETURN_IF_ERROR(CheckCycle(cycle));
  absl::Span<const absl::string_view> valid = NeedCategories(cycle);
  for (absl::string_view name : valid) {
    if (name == category) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown need category ", common::Quote(category),
                                                 " for cycle ", cycle, ": expected one of ",
                                                 absl::StrJoin(valid, ", ")));
}

}  // namespace irm::domain
