// The States parties to the UN Convention against Corruption and their UN regional groups,
// and the Region helpers. Data only; see reference_data.h for the contract.
//
// Status as of the end of 2024: 191 parties (the authority is the depositary's status list,
// UN Treaty Collection chapter XVIII.14; this table was compiled from secondary sources and
// checked against published counts): 187 of the 193 UN Member States, the Cook Islands (2011),
// Niue, the State of Palestine (2014) and the European Union (approval 2008). Recent
// accessions included here: Tonga (2020), Barbados, Suriname and Somalia (2021), Saint Kitts
// and Nevis (August 2024, the 191st party).
//
// UN Member States that are NOT parties and are therefore absent: Andorra (accession approved
// by its government only in January 2026), Eritrea, Monaco, the Democratic People's Republic
// of Korea, San Marino and the Syrian Arab Republic (signatory, not ratified). The Holy See,
// a non-member observer State, is not a party either. Least certain: Monaco, San Marino and
// Syria were inferred from the published party counts (187 in February 2020, 189 and then
// 190 after the 2021 accessions, 191 after Saint Kitts and Nevis) rather than read from the
// depositary's list; re-check them against treaties.un.org before relying on one entry.
//
// Regional groups follow the UN regional groups (Türkiye, Israel, Australia, New Zealand,
// Canada and the United States in western_european_other; Cyprus and Kiribati in
// asia_pacific; the Baltic States in eastern_european). Per group: african 53 (54 members,
// less Eritrea), asia_pacific 55 (54 members less the DPRK and Syria, plus the Cook Islands,
// Niue and the State of Palestine), eastern_european 23, latin_american_caribbean 33,
// western_european_other 27 (29 with the United States, less Andorra, Monaco and San Marino,
// plus the European Union, whose placement reference_data.h explains).
//
// Names are UN short names (UNTERM), not ISO's inverted forms: "Republic of Korea", not
// "Korea, Republic of". Every code but EUU is an ISO 3166-1 alpha-3 code.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/common/quote.h"
#include "engine/domain/reference_data.h"

namespace irm::domain {
namespace {

constexpr Region kAfr = Region::kAfrican;
constexpr Region kApg = Region::kAsiaPacific;
constexpr Region kEeg = Region::kEasternEuropean;
constexpr Region kLac = Region::kLatinAmericanCaribbean;
constexpr Region kWeo = Region::kWesternEuropeanOther;

// Sorted by code (FindStateParty binary-searches it; a test checks the order).
constexpr StateParty kStatesParties[] = {
    {"AFG", "Afghanistan", kApg, false},
    {"AGO", "Angola", kAfr, false},
    {"ALB", "Albania", kEeg, false},
    {"ARE", "United Arab Emirates", kApg, false},
    {"ARG", "Argentina", kLac, false},
    {"ARM", "Armenia", kEeg, false},
    {"ATG", "Antigua and Barbuda", kLac, false},
    {"AUS", "Australia", kWeo, false},
    {"AUT", "Austria", kWeo, false},
    {"AZE", "Azerbaijan", kEeg, false},
    {"BDI", "Burundi", kAfr, false},
    {"BEL", "Belgium", kWeo, false},
    {"BEN", "Benin", kAfr, false},
    {"BFA", "Burkina Faso", kAfr, false},
    {"BGD", "Bangladesh", kApg, false},
    {"BGR", "Bulgaria", kEeg, false},
    {"BHR", "Bahrain", kApg, false},
    {"BHS", "Bahamas", kLac, false},
    {"BIH", "Bosnia and Herzegovina", kEeg, false},
    {"BLR", "Belarus", kEeg, false},
    {"BLZ", "Belize", kLac, false},
    {"BOL", "Bolivia (Plurinational State of)", kLac, false},
    {"BRA", "Brazil", kLac, false},
    {"BRB", "Barbados", kLac, false},
    {"BRN", "Brunei Darussalam", kApg, false},
    {"BTN", "Bhutan", kApg, false},
    {"BWA", "Botswana", kAfr, false},
    {"CAF", "Central African Republic", kAfr, false},
    {"CAN", "Canada", kWeo, false},
    {"CHE", "Switzerland", kWeo, false},
    {"CHL", "Chile", kLac, false},
    {"CHN", "China", kApg, false},
    {"CIV", "Côte d'Ivoire", kAfr, false},
    {"CMR", "Cameroon", kAfr, false},
    {"COD", "Democratic Republic of the Congo", kAfr, false},
    {"COG", "Congo", kAfr, false},
    {"COK", "Cook Islands", kApg, false},
    {"COL", "Colombia", kLac, false},
    {"COM", "Comoros", kAfr, false},
    {"CPV", "Cabo Verde", kAfr, false},
    {"CRI", "Costa Rica", kLac, false},
    {"CUB", "Cuba", kLac, false},
    {"CYP", "Cyprus", kApg, false},
    {"CZE", "Czechia", kEeg, false},
    {"DEU", "Germany", kWeo, false},
    {"DJI", "Djibouti", kAfr, false},
    {"DMA", "Dominica", kLac, false},
    {"DNK", "Denmark", kWeo, false},
    {"DOM", "Dominican Republic", kLac, false},
    {"DZA", "Algeria", kAfr, false},
    {"ECU", "Ecuador", kLac, false},
    {"EGY", "Egypt", kAfr, false},
    {"ESP", "Spain", kWeo, false},
    {"EST", "Estonia", kEeg, false},
    {"ETH", "Ethiopia", kAfr, false},
    {"EUU", "European Union", kWeo, true},
    {"FIN", "Finland", kWeo, false},
    {"FJI", "Fiji", kApg, false},
    {"FRA", "France", kWeo, false},
    {"FSM", "Micronesia (Federated States of)", kApg, false},
    {"GAB", "Gabon", kAfr, false},
    {"GBR", "United Kingdom of Great Britain and Northern Ireland", kWeo, false},
    {"GEO", "Georgia", kEeg, false},
    {"GHA", "Ghana", kAfr, false},
    {"GIN", "Guinea", kAfr, false},
    {"GMB", "Gambia", kAfr, false},
    {"GNB", "Guinea-Bissau", kAfr, false},
    {"GNQ", "Equatorial Guinea", kAfr, false},
    {"GRC", "Greece", kWeo, false},
    {"GRD", "Grenada", kLac, false},
    {"GTM", "Guatemala", kLac, false},
    {"GUY", "Guyana", kLac, false},
    {"HND", "Honduras", kLac, false},
    {"HRV", "Croatia", kEeg, false},
    {"HTI", "Haiti", kLac, false},
    {"HUN", "Hungary", kEeg, false},
    {"IDN", "Indonesia", kApg, false},
    {"IND", "India", kApg, false},
    {"IRL", "Ireland", kWeo, false},
    {"IRN", "Iran (Islamic Republic of)", kApg, false},
    {"IRQ", "Iraq", kApg, false},
    {"ISL", "Iceland", kWeo, false},
    {"ISR", "Israel", kWeo, false},
    {"ITA", "Italy", kWeo, false},
    {"JAM", "Jamaica", kLac, false},
    {"JOR", "Jordan", kApg, false},
    {"JPN", "Japan", kApg, false},
    {"KAZ", "Kazakhstan", kApg, false},
    {"KEN", "Kenya", kAfr, false},
    {"KGZ", "Kyrgyzstan", kApg, false},
    {"KHM", "Cambodia", kApg, false},
    {"KIR", "Kiribati", kApg, false},
    {"KNA", "Saint Kitts and Nevis", kLac, false},
    {"KOR", "Republic of Korea", kApg, false},
    {"KWT", "Kuwait", kApg, false},
    {"LAO", "Lao People's Democratic Republic", kApg, false},
    {"LBN", "Lebanon", kApg, false},
    {"LBR", "Liberia", kAfr, false},
    {"LBY", "Libya", kAfr, false},
    {"LCA", "Saint Lucia", kLac, false},
    {"LIE", "Liechtenstein", kWeo, false},
    {"LKA", "Sri Lanka", kApg, false},
    {"LSO", "Lesotho", kAfr, false},
    {"LTU", "Lithuania", kEeg, false},
    {"LUX", "Luxembourg", kWeo, false},
    {"LVA", "Latvia", kEeg, false},
    {"MAR", "Morocco", kAfr, false},
    {"MDA", "Republic of Moldova", kEeg, false},
    {"MDG", "Madagascar", kAfr, false},
    {"MDV", "Maldives", kApg, false},
    {"MEX", "Mexico", kLac, false},
    {"MHL", "Marshall Islands", kApg, false},
    {"MKD", "North Macedonia", kEeg, false},
    {"MLI", "Mali", kAfr, false},
    {"MLT", "Malta", kWeo, false},
    {"MMR", "Myanmar", kApg, false},
    {"MNE", "Montenegro", kEeg, false},
    {"MNG", "Mongolia", kApg, false},
    {"MOZ", "Mozambique", kAfr, false},
    {"MRT", "Mauritania", kAfr, false},
    {"MUS", "Mauritius", kAfr, false},
    {"MWI", "Malawi", kAfr, false},
    {"MYS", "Malaysia", kApg, false},
    {"NAM", "Namibia", kAfr, false},
    {"NER", "Niger", kAfr, false},
    {"NGA", "Nigeria", kAfr, false},
    {"NIC", "Nicaragua", kLac, false},
    {"NIU", "Niue", kApg, false},
    {"NLD", "Netherlands (Kingdom of the)", kWeo, false},
    {"NOR", "Norway", kWeo, false},
    {"NPL", "Nepal", kApg, false},
    {"NRU", "Nauru", kApg, false},
    {"NZL", "New Zealand", kWeo, false},
    {"OMN", "Oman", kApg, false},
    {"PAK", "Pakistan", kApg, false},
    {"PAN", "Panama", kLac, false},
    {"PER", "Peru", kLac, false},
    {"PHL", "Philippines", kApg, false},
    {"PLW", "Palau", kApg, false},
    {"PNG", "Papua New Guinea", kApg, false},
    {"POL", "Poland", kEeg, false},
    {"PRT", "Portugal", kWeo, false},
    {"PRY", "Paraguay", kLac, false},
    {"PSE", "State of Palestine", kApg, false},
    {"QAT", "Qatar", kApg, false},
    {"ROU", "Romania", kEeg, false},
    {"RUS", "Russian Federation", kEeg, false},
    {"RWA", "Rwanda", kAfr, false},
    {"SAU", "Saudi Arabia", kApg, false},
    {"SDN", "Sudan", kAfr, false},
    {"SEN", "Senegal", kAfr, false},
    {"SGP", "Singapore", kApg, false},
    {"SLB", "Solomon Islands", kApg, false},
    {"SLE", "Sierra Leone", kAfr, false},
    {"SLV", "El Salvador", kLac, false},
    {"SOM", "Somalia", kAfr, false},
    {"SRB", "Serbia", kEeg, false},
    {"SSD", "South Sudan", kAfr, false},
    {"STP", "Sao Tome and Principe", kAfr, false},
    {"SUR", "Suriname", kLac, false},
    {"SVK", "Slovakia", kEeg, false},
    {"SVN", "Slovenia", kEeg, false},
    {"SWE", "Sweden", kWeo, false},
    {"SWZ", "Eswatini", kAfr, false},
    {"SYC", "Seychelles", kAfr, false},
    {"TCD", "Chad", kAfr, false},
    {"TGO", "Togo", kAfr, false},
    {"THA", "Thailand", kApg, false},
    {"TJK", "Tajikistan", kApg, false},
    {"TKM", "Turkmenistan", kApg, false},
    {"TLS", "Timor-Leste", kApg, false},
    {"TON", "Tonga", kApg, false},
    {"TTO", "Trinidad and Tobago", kLac, false},
    {"TUN", "Tunisia", kAfr, false},
    {"TUR", "Türkiye", kWeo, false},
    {"TUV", "Tuvalu", kApg, false},
    {"TZA", "United Republic of Tanzania", kAfr, false},
    {"UGA", "Uganda", kAfr, false},
    {"UKR", "Ukraine", kEeg, false},
    {"URY", "Uruguay", kLac, false},
    {"USA", "United States of America", kWeo, false},
    {"UZB", "Uzbekistan", kApg, false},
    {"VCT", "Saint Vincent and the Grenadines", kLac, false},
    {"VEN", "Venezuela (Bolivarian Republic of)", kLac, false},
    {"VNM", "Viet Nam", kApg, false},
    {"VUT", "Vanuatu", kApg, false},
    {"WSM", "Samoa", kApg, false},
    {"YEM", "Yemen", kApg, false},
    {"ZAF", "South Africa", kAfr, false},
    {"ZMB", "Zambia", kAfr, false},
    {"ZWE", "Zimbabwe", kAfr, false},
};

constexpr Region kRegions[] = {kAfr, kApg, kEeg, kLac, kWeo};

constexpr absl::string_view kRegionNames[] = {
    "african",
    "asia_pacific",
    "eastern_european",
    "latin_american_caribbean",
    "western_european_other",
};

bool IsUpperAscii(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

const StateParty* Lookup(absl::string_view code) {
  auto it = std::lower_bound(
      std::begin(kStatesParties), std::end(kStatesParties), code,
      [](const StateParty& party, absl::string_view key) { return party.code < key; });
  if (it == std::end(kStatesParties) || it->code != code) return nullptr;
  return it;
}

}  // namespace

absl::Span<const Region> AllRegions() { return kRegions; }

absl::string_view RegionName(Region region) { return kRegionNames[static_cast<int>(region)]; }

absl::StatusOr<Region> ParseRegion(absl::string_view name) {
  for (Region region : kRegions) {
    if (RegionName(region) == name) return region;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown regional group ", common::Quote(name), ": expected one of african, asia_pacific, ",
      "eastern_european, latin_american_caribbean, western_european_other"));
}

absl::Span<const StateParty> AllStatesParties() { return kStatesParties; }

absl::StatusOr<const StateParty*> FindStateParty(absl::string_view code) {
  if (const StateParty* party = Lookup(code); party != nullptr) return party;
  if (code.size() == 3 && !IsUpperAscii(code)) {
    std::string upper(code);
    for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (Lookup(upper) != nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown State party code ", common::Quote(code),
                       ": codes are upper case; did you mean ", upper, "?"));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown State party code ", common::Quote(code),
                   ": expected an ISO 3166 alpha-3 code of a State party, e.g. KEN"));
}

}  // namespace irm::domain
