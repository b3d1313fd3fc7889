// Reference data of the Implementation Review Mechanism: the States parties to the UN
// Convention against Corruption with their UN regional groups, the articles under review
// with their chapter and cycle, and the technical-assistance need categories of each cycle
// (domain.md, sections 4-6).
//
// All data is compiled in and immutable; every function is thread-safe, and every pointer,
// span and string_view returned refers to static storage that lives for the whole program.
//
// The States-party list holds every party with the date it became one (192 entries: 186 UN
// Member States party by August 2024, San Marino from October 2025, the Holy See, the Cook
// Islands, Niue, the State of Palestine and the European Union), and each State's
// legal-system families. states_parties.cc says where each fact comes from and which could
// not be confirmed.
#ifndef IRM_ENGINE_DOMAIN_REFERENCE_DATA_H_
#define IRM_ENGINE_DOMAIN_REFERENCE_DATA_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"

namespace irm::domain {

// ---------------------------------------------------------------------------------------
// Regional groups

// The five UN regional groups. They decide the same-region reviewer slot and the yearly
// quota of States under review.
enum class Region {
  kAfrican,
  kAsiaPacific,
  kEasternEuropean,
  kLatinAmericanCaribbean,
  kWesternEuropeanOther,
};

// The five groups in the order above.
absl::Span<const Region> AllRegions();

// The vocabulary name: "african", "asia_pacific", "eastern_european",
// "latin_american_caribbean" or "western_european_other".
absl::string_view RegionName(Region region);

// Inverse of RegionName; exact, lower-case match. InvalidArgument names the bad text and
// lists the five valid names.
absl::StatusOr<Region> ParseRegion(absl::string_view name);

// ---------------------------------------------------------------------------------------
// States parties

// How sure a State party's deposit date is (states_parties.cc lists the sources).
enum class DateQuality : uint8_t {
  kConfirmed,    // read in a public source found with the search tool
  kRecalled,     // from the depositary's list as recalled; not confirmed by a source here
  kApproximate,  // only the year (or month) is known; the day is a placeholder
  kFromIssue,    // given by issue 21 (San Marino); not confirmed by a source here
};

// The legal-system families of the JuriGlobe classification (University of Ottawa). A
// State's families are a bit set: mixed systems have several bits.
enum LegalFamily : uint8_t {
  kCivilLaw = 1 << 0,
  kCommonLaw = 1 << 1,
  kMuslimLaw = 1 << 2,
  kCustomaryLaw = 1 << 3,
};

// The four families in the order above.
absl::Span<const LegalFamily> AllLegalFamilies();

// "civil_law", "common_law", "muslim_law" or "customary_law".
absl::string_view LegalFamilyName(LegalFamily family);

// The names of the families in `families`, in the order of AllLegalFamilies().
std::vector<absl::string_view> LegalFamilyNames(uint8_t families);

// Two legal systems are similar (ToR paragraph 19) when their families intersect.
inline bool SimilarLegalSystems(uint8_t a, uint8_t b) { return (a & b) != 0; }

struct StateParty {
  // ISO 3166-1 alpha-3 code, upper case ("KEN"). The European Union, which has no ISO
  // code, uses "EUU" as UNODC does; the Holy See uses "VAT".
  absl::string_view code;
  // English short name in UN usage ("Republic of Korea", "Türkiye"), UTF-8.
  absl::string_view name;
  // The State's UN regional group. The Cook Islands, Niue and the State of Palestine are
  // not UN Member States; they are placed in asia_pacific, the Holy See in
  // western_european_other (states_parties.cc says why). The European Union belongs to no
  // regional group; it is placed in western_european_other so that every party has one of
  // the five groups, and is marked by `is_regional_organization`: callers that draw
  // reviewers or spread review years must decide explicitly what to do with it.
  Region region;
  // True only for the European Union, a regional economic integration organization.
  bool is_regional_organization;
  // The date its instrument (ratification, accession, acceptance, approval) was deposited
  // with the Secretary-General, "YYYY-MM-DD". PartySince() follows from it.
  absl::string_view deposited;
  DateQuality deposit_quality;
  // Bit set of LegalFamily; 0 for the European Union (not a legal system of its own).
  uint8_t legal_systems;
  // True when the families were read in the JuriGlobe list found with the search tool;
  // false when they are from recollection of that classification (unconfirmed).
  bool legal_systems_confirmed;
};

// The day the Convention entered into force.
inline constexpr absl::CivilDay kConventionInForce(2005, 12, 14);

// The day `party` became a party (article 68): the thirtieth day after its deposit, or
// the Convention's entry into force (2005-12-14) if that is later.
absl::CivilDay PartySince(const StateParty& party);

// True if `party` was a party on `day` (PartySince(party) <= day).
bool IsPartyOn(const StateParty& party, absl::CivilDay day);

// False for a code that is no party at all (FindStateParty fails).
bool IsPartyOn(absl::string_view code, absl::CivilDay day);

// Every party on `day`, sorted by code.
std::vector<const StateParty*> PartiesOn(absl::CivilDay day);

// Every State party ever recorded (including those that became parties later than
// today), sorted by code; 192 entries.
absl::Span<const StateParty> AllStatesParties();

// The State party with this code. Codes are upper case only. InvalidArgument otherwise:
// "unknown State party code 'XYZ': expected an ISO 3166 alpha-3 code of a State party,
// e.g. KEN" (a lower-case spelling of a valid code is told the upper-case one).
absl::StatusOr<const StateParty*> FindStateParty(absl::string_view code);

// ---------------------------------------------------------------------------------------
// Cycles and articles

// OK for cycle 1 (chapters III and IV) or 2 (chapters II and V); InvalidArgument otherwise.
absl::Status CheckCycle(int cycle);

struct Article {
  int number;                 // 5..59
  absl::string_view chapter;  // "II", "III", "IV" or "V"
  int cycle;                  // 1 for chapters III and IV, 2 for chapters II and V
  absl::string_view title;    // the Convention's article heading
};

// Articles 5 to 59 in order; 55 entries.
absl::Span<const Article> AllArticles();

// The article with this number. InvalidArgument outside 5-59:
// "article 4 is not under review: articles 5-59 are".
absl::StatusOr<const Article*> FindArticle(int number);

// OK if `article` is reviewed in `cycle`. InvalidArgument for an unknown cycle or article,
// or an article of the other cycle: "article 15 is in chapter III, reviewed in cycle 1,
// not cycle 2; cycle 2 reviews articles 5-14 and 51-59".
absl::Status CheckArticleInCycle(int article, int cycle);

// The article under which a State may record the same need a second time: 8 <-> 52 and
// 14 <-> 58. nullopt for every other number.
std::optional<int> LinkedArticle(int article);

// ---------------------------------------------------------------------------------------
// Technical-assistance need categories

// The categories of `cycle` in the order of domain.md: cycle 1's closed list, or the codes
// the secretariat gives cycle 2's free-text needs. Empty for an invalid cycle.
absl::Span<const absl::string_view> NeedCategories(int cycle);

// OK if `category` is one of NeedCategories(cycle). InvalidArgument otherwise, naming the
// bad value and listing the valid ones (or the cycle error for an invalid cycle).
absl::Status CheckNeedCategory(int cycle, absl::string_view category);

}  // namespace irm::domain

#endif  // IRM_ENGINE_DOMAIN_REFERENCE_DATA_H_
