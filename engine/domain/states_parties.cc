// The States parties to the UN Convention against Corruption with the date each became a
// party, their UN regional groups and legal-system families, and the Region helpers. Data
// only; see reference_data.h for the contract.
//
// SOURCES AND WHAT IS CONFIRMED (checked 2026-12-04 with the search tool only; the
// depositary's status page, UN Treaty Collection chapter XVIII.14, is not reachable here)
//
// Who is a party and when (`deposited`, `deposit_quality`; PartySince() applies article
// 68: the thirtieth day after deposit, never before the Convention's entry into force on
// 2005-12-14):
//  - kConfirmed dates were read in: the ITC LegaCarta copy of the depositary's table and a
//    copy of the UNTC status page when it counted 168 parties (about 2013): AFG ALB DZA AGO
//    ATG ARG ARM AUS AUT AZE BHS BHR BGD BLR BEL BEN BOL BIH BWA BRA BRN; Ecuador
//    15 Sep 2005, the thirtieth instrument (UN press release L/T/4389); Bhutan 21 Sep 2016
//    and the Holy See 19 Sep 2016, in force for it 19 Oct 2016 (Luxembourg's Mémorial
//    publication of the depositary notification; Vatican press office, 23 Sep 2016);
//    China (in force for it 12 Feb 2006, so deposited 13 Jan 2006) and Ireland (in force
//    9 Dec 2011) from practitioners' summaries; Saint Kitts and Nevis acceded on
//    6 Aug 2024 (its government's release), so it is a party from 5 Sep 2024 although the
//    depositary counts it among the 191 parties from the deposit.
//  - kRecalled dates (most entries) are the depositary's dates as recalled, not confirmed
//    by any source found here. They agree with the published counts: 168 parties about
//    2013, 182 on 11 Jul 2017 (U4), 186 in Aug 2018, 187 with Tonga in Feb 2020, 191 with
//    Saint Kitts and Nevis in Aug 2024.
//  - kApproximate: only the year or month is known and the day is a placeholder: Tonga
//    (announced as the 187th party on 5-6 Feb 2020; 2020-02-05 used), Suriname (its
//    parliament approved accession in July 2021; 2021-11-01 used), Niue (2017; 2017-10-03
//    used), Barbados (see below; 2023-01-01 used).
//  - kFromIssue: San Marino deposited its ratification on 25 Sep 2025 (issue 21), so it is
//    a party from 25 Oct 2025. Not confirmed by a source found here.
//
// Corrections made by issue 21 to the earlier table:
//  - The Holy See (code VAT) acceded on 19 Sep 2016 (confirmed above); it was missing.
//  - Barbados signed in Dec 2003 and had not ratified when the depositary counted 168
//    parties (confirmed); the earlier table's "2021" is replaced by 2023, the year its
//    government's statements give (issue 21); the exact date is not confirmed.
//  - The composition: 191 parties in Aug 2024 (with Saint Kitts and Nevis and the Holy
//    See) are 186 UN Member States and 5 others, so 7 UN Members were not parties: Andorra,
//    Eritrea, Monaco, the Democratic People's Republic of Korea, San Marino (until 2025),
//    the Syrian Arab Republic (signatory only) and one more that the earlier table listed.
//    That one is taken to be Saint Vincent and the Grenadines and is removed. This is an
//    INFERENCE, NOT CONFIRMED: no source found here records an SVG instrument (its OAS and
//    WHACI profiles speak only of the Inter-American Convention), and it was the one
//    listed State whose date could not be recalled; re-check it against treaties.un.org.
//
// Regional groups follow the UN regional groups (Türkiye, Israel, Australia, New Zealand,
// Canada and the United States in western_european_other; Cyprus and Kiribati in
// asia_pacific; the Baltic States in eastern_european). Non-members: the Cook Islands, Niue
// and the State of Palestine in asia_pacific, as the earlier table had them; the Holy See
// in western_european_other, where UN practice seats it with the WEOG as an observer and
// where the secretariat is taken to count it for the drawing of lots. The Holy See's
// placement is NOT CONFIRMED by a secretariat document found here. Per group (all entries):
// african 53, asia_pacific 55, eastern_european 23, latin_american_caribbean 32,
// western_european_other 29 (26 Members, San Marino, the Holy See and the European Union).
//
// Legal systems follow ONE classification: JuriGlobe, World Legal Systems Research Group,
// Faculty of Law, University of Ottawa (juriglobe.ca), whose categories are civil law,
// common law, customary law, Muslim law and mixed systems; a mixed system lists each of
// its families. `legal_systems_confirmed` is true for the States read in an archived copy
// of JuriGlobe's mixed-systems page (2017-05-21): the lists of civil/common,
// civil/customary, civil/Muslim, common/customary, common/Muslim and part of the
// civil/Muslim/customary list. Every other State's families (the pure civil law and common
// law States and the remaining mixed lists) are from recollection of JuriGlobe and NOT
// CONFIRMED. JuriGlobe classifies England and the rest of Canada/the United States as common
// law and lists Quebec, Louisiana and Scotland apart; States are given their main families.
// The European Union has none.
//
// Names are UN short names (UNTERM), not ISO's inverted forms: "Republic of Korea", not
// "Korea, Republic of". Every code but EUU is an ISO 3166-1 alpha-3 code.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "engine/common/quote.h"
#include "engine/domain/reference_data.h"

namespace irm::domain {
namespace {

constexpr Region kAfr = Region::kAfrican;
constexpr Region kApg = Region::kAsiaPacific;
constexpr Region kEeg = Region::kEasternEuropean;
constexpr Region kLac = Region::kLatinAmericanCaribbean;
constexpr Region kWeo = Region::kWesternEuropeanOther;

constexpr DateQuality kConfirmed = DateQuality::kConfirmed;
constexpr DateQuality kRecalled = DateQuality::kRecalled;
constexpr DateQuality kApproximate = DateQuality::kApproximate;
constexpr DateQuality kFromIssue = DateQuality::kFromIssue;
constexpr uint8_t kCivil = kCivilLaw;
constexpr uint8_t kCommon = kCommonLaw;
constexpr uint8_t kMuslim = kMuslimLaw;
constexpr uint8_t kCustomary = kCustomaryLaw;

// Sorted by code (FindStateParty binary-searches it; a test checks the order).
// {code, name, region, is_regional_organization, deposited, quality, families, confirmed}
constexpr StateParty kStatesParties[] = {
    {"AFG", "Afghanistan", kApg, false, "2008-08-25", kConfirmed, kMuslim | kCustomary, false},
    {"AGO", "Angola", kAfr, false, "2006-08-29", kConfirmed, kCivil, false},
    {"ALB", "Albania", kEeg, false, "2006-05-25", kConfirmed, kCivil, false},
    {"ARE", "United Arab Emirates", kApg, false, "2006-02-22", kRecalled, kCivil | kMuslim, false},
    {"ARG", "Argentina", kLac, false, "2006-08-28", kConfirmed, kCivil, false},
    {"ARM", "Armenia", kEeg, false, "2007-03-08", kConfirmed, kCivil, false},
    {"ATG", "Antigua and Barbuda", kLac, false, "2006-06-21", kConfirmed, kCommon, false},
    {"AUS", "Australia", kWeo, false, "2005-12-07", kConfirmed, kCommon, false},
    {"AUT", "Austria", kWeo, false, "2006-01-11", kConfirmed, kCivil, false},
    {"AZE", "Azerbaijan", kEeg, false, "2005-11-01", kConfirmed, kCivil, false},
    {"BDI", "Burundi", kAfr, false, "2006-03-10", kRecalled, kCivil | kCustomary, true},
    {"BEL", "Belgium", kWeo, false, "2008-09-25", kConfirmed, kCivil, false},
    {"BEN", "Benin", kAfr, false, "2004-10-14", kConfirmed, kCivil, false},
    {"BFA", "Burkina Faso", kAfr, false, "2006-10-10", kRecalled, kCivil | kCustomary, true},
    {"BGD", "Bangladesh", kApg, false, "2007-02-27", kConfirmed, kCommon | kMuslim, true},
    {"BGR", "Bulgaria", kEeg, false, "2006-09-20", kRecalled, kCivil, false},
    {"BHR", "Bahrain", kApg, false, "2010-10-05", kConfirmed, kCivil | kCommon | kMuslim, false},
    {"BHS", "Bahamas", kLac, false, "2008-01-10", kConfirmed, kCommon, false},
    {"BIH", "Bosnia and Herzegovina", kEeg, false, "2006-10-26", kConfirmed, kCivil, false},
    {"BLR", "Belarus", kEeg, false, "2005-02-17", kConfirmed, kCivil, false},
    {"BLZ", "Belize", kLac, false, "2016-12-12", kRecalled, kCommon, false},
    {"BOL", "Bolivia (Plurinational State of)", kLac, false, "2005-12-05", kConfirmed, kCivil, false},
    {"BRA", "Brazil", kLac, false, "2005-06-15", kConfirmed, kCivil, false},
    {"BRB", "Barbados", kLac, false, "2023-01-01", kApproximate, kCommon, false},
    {"BRN", "Brunei Darussalam", kApg, false, "2008-12-02", kConfirmed, kCommon | kMuslim | kCustomary, false},
    {"BTN", "Bhutan", kApg, false, "2016-09-21", kConfirmed, kCommon | kCustomary, true},
    {"BWA", "Botswana", kAfr, false, "2011-06-27", kConfirmed, kCivil | kCommon, true},
    {"CAF", "Central African Republic", kAfr, false, "2006-10-06", kRecalled, kCivil, false},
    {"CAN", "Canada", kWeo, false, "2007-10-02", kRecalled, kCivil | kCommon, false},
    {"CHE", "Switzerland", kWeo, false, "2009-09-24", kRecalled, kCivil, false},
    {"CHL", "Chile", kLac, false, "2006-09-13", kRecalled, kCivil, false},
    {"CHN", "China", kApg, false, "2006-01-13", kConfirmed, kCivil | kCustomary, true},
    {"CIV", "Côte d'Ivoire", kAfr, false, "2012-10-25", kRecalled, kCivil | kCustomary, true},
    {"CMR", "Cameroon", kAfr, false, "2006-02-06", kRecalled, kCivil | kCommon | kCustomary, false},
    {"COD", "Democratic Republic of the Congo", kAfr, false, "2010-09-23", kRecalled, kCivil | kCustomary, true},
    {"COG", "Congo", kAfr, false, "2006-07-13", kRecalled, kCivil | kCustomary, true},
    {"COK", "Cook Islands", kApg, false, "2011-10-17", kRecalled, kCommon | kCustomary, false},
    {"COL", "Colombia", kLac, false, "2006-10-27", kRecalled, kCivil, false},
    {"COM", "Comoros", kAfr, false, "2012-10-11", kRecalled, kCivil | kMuslim, true},
    {"CPV", "Cabo Verde", kAfr, false, "2008-04-23", kRecalled, kCivil, false},
    {"CRI", "Costa Rica", kLac, false, "2007-03-21", kRecalled, kCivil, false},
    {"CUB", "Cuba", kLac, false, "2007-02-09", kRecalled, kCivil, false},
    {"CYP", "Cyprus", kApg, false, "2009-02-23", kRecalled, kCivil | kCommon, true},
    {"CZE", "Czechia", kEeg, false, "2013-11-29", kRecalled, kCivil, false},
    {"DEU", "Germany", kWeo, false, "2014-11-12", kRecalled, kCivil, false},
    {"DJI", "Djibouti", kAfr, false, "2005-04-20", kRecalled, kCivil | kMuslim | kCustomary, true},
    {"DMA", "Dominica", kLac, false, "2010-05-28", kRecalled, kCommon, false},
    {"DNK", "Denmark", kWeo, false, "2006-12-26", kRecalled, kCivil, false},
    {"DOM", "Dominican Republic", kLac, false, "2006-10-26", kRecalled, kCivil, false},
    {"DZA", "Algeria", kAfr, false, "2004-08-25", kConfirmed, kCivil | kMuslim, true},
    {"ECU", "Ecuador", kLac, false, "2005-09-15", kConfirmed, kCivil, false},
    {"EGY", "Egypt", kAfr, false, "2005-02-25", kRecalled, kCivil | kMuslim, true},
    {"ESP", "Spain", kWeo, false, "2006-06-19", kRecalled, kCivil, false},
    {"EST", "Estonia", kEeg, false, "2010-04-12", kRecalled, kCivil, false},
    {"ETH", "Ethiopia", kAfr, false, "2007-11-26", kRecalled, kCivil | kCustomary, true},
    {"EUU", "European Union", kWeo, true, "2008-11-12", kRecalled, 0, false},
    {"FIN", "Finland", kWeo, false, "2006-06-20", kRecalled, kCivil, false},
    {"FJI", "Fiji", kApg, false, "2008-05-14", kRecalled, kCommon | kCustomary, false},
    {"FRA", "France", kWeo, false, "2005-07-11", kRecalled, kCivil, false},
    {"FSM", "Micronesia (Federated States of)", kApg, false, "2012-03-21", kRecalled, kCommon | kCustomary, true},
    {"GAB", "Gabon", kAfr, false, "2007-10-01", kRecalled, kCivil | kCustomary, true},
    {"GBR", "United Kingdom of Great Britain and Northern Ireland", kWeo, false, "2006-02-09", kRecalled, kCommon, false},
    {"GEO", "Georgia", kEeg, false, "2008-11-04", kRecalled, kCivil, false},
    {"GHA", "Ghana", kAfr, false, "2007-06-27", kRecalled, kCommon | kCustomary, true},
    {"GIN", "Guinea", kAfr, false, "2013-05-29", kRecalled, kCivil | kCustomary, true},
    {"GMB", "Gambia", kAfr, false, "2015-07-08", kRecalled, kCommon | kMuslim | kCustomary, false},
    {"GNB", "Guinea-Bissau", kAfr, false, "2007-09-10", kRecalled, kCivil | kCustomary, true},
    {"GNQ", "Equatorial Guinea", kAfr, false, "2018-05-30", kRecalled, kCivil | kCustomary, true},
    {"GRC", "Greece", kWeo, false, "2008-09-17", kRecalled, kCivil, false},
    {"GRD", "Grenada", kLac, false, "2015-04-01", kRecalled, kCommon, false},
    {"GTM", "Guatemala", kLac, false, "2006-11-03", kRecalled, kCivil, false},
    {"GUY", "Guyana", kLac, false, "2008-04-16", kRecalled, kCivil | kCommon, true},
    {"HND", "Honduras", kLac, false, "2005-05-23", kRecalled, kCivil, false},
    {"HRV", "Croatia", kEeg, false, "2005-04-24", kRecalled, kCivil, false},
    {"HTI", "Haiti", kLac, false, "2009-09-14", kRecalled, kCivil, false},
    {"HUN", "Hungary", kEeg, false, "2005-04-19", kRecalled, kCivil, false},
    {"IDN", "Indonesia", kApg, false, "2006-09-19", kRecalled, kCivil | kMuslim | kCustomary, true},
    {"IND", "India", kApg, false, "2011-05-09", kRecalled, kCommon | kMuslim | kCustomary, false},
    {"IRL", "Ireland", kWeo, false, "2011-11-09", kConfirmed, kCommon, false},
    {"IRN", "Iran (Islamic Republic of)", kApg, false, "2009-04-20", kRecalled, kCivil | kMuslim, true},
    {"IRQ", "Iraq", kApg, false, "2008-03-17", kRecalled, kCivil | kMuslim, true},
    {"ISL", "Iceland", kWeo, false, "2011-03-01", kRecalled, kCivil, false},
    {"ISR", "Israel", kWeo, false, "2009-02-04", kRecalled, kCivil | kCommon | kMuslim, false},
    {"ITA", "Italy", kWeo, false, "2009-10-05", kRecalled, kCivil, false},
    {"JAM", "Jamaica", kLac, false, "2008-03-05", kRecalled, kCommon, false},
    {"JOR", "Jordan", kApg, false, "2005-02-24", kRecalled, kCivil | kMuslim | kCustomary, true},
    {"JPN", "Japan", kApg, false, "2017-07-11", kRecalled, kCivil | kCustomary, true},
    {"KAZ", "Kazakhstan", kApg, false, "2008-06-18", kRecalled, kCivil, false},
    {"KEN", "Kenya", kAfr, false, "2003-12-09", kRecalled, kCommon | kMuslim | kCustomary, false},
    {"KGZ", "Kyrgyzstan", kApg, false, "2005-09-16", kRecalled, kCivil, false},
    {"KHM", "Cambodia", kApg, false, "2007-09-05", kRecalled, kCivil, false},
    {"KIR", "Kiribati", kApg, false, "2013-09-27", kRecalled, kCommon | kCustomary, false},
    {"KNA", "Saint Kitts and Nevis", kLac, false, "2024-08-06", kConfirmed, kCommon, false},
    {"KOR", "Republic of Korea", kApg, false, "2008-03-27", kRecalled, kCivil | kCustomary, true},
    {"KWT", "Kuwait", kApg, false, "2007-02-16", kRecalled, kCivil | kMuslim | kCustomary, true},
    {"LAO", "Lao People's Democratic Republic", kApg, false, "2009-09-25", kRecalled, kCivil, false},
    {"LBN", "Lebanon", kApg, false, "2009-04-22", kRecalled, kCivil | kMuslim, true},
    {"LBR", "Liberia", kAfr, false, "2005-09-16", kRecalled, kCommon | kCustomary, true},
    {"LBY", "Libya", kAfr, false, "2005-06-07", kRecalled, kCivil | kMuslim, true},
    {"LCA", "Saint Lucia", kLac, false, "2011-11-18", kRecalled, kCivil | kCommon, true},
    {"LIE", "Liechtenstein", kWeo, false, "2016-07-08", kRecalled, kCivil, false},
    {"LKA", "Sri Lanka", kApg, false, "2004-03-31", kRecalled, kCivil | kCommon | kCustomary, false},
    {"LSO", "Lesotho", kAfr, false, "2005-09-16", kRecalled, kCivil | kCommon | kCustomary, false},
    {"LTU", "Lithuania", kEeg, false, "2006-12-21", kRecalled, kCivil, false},
    {"LUX", "Luxembourg", kWeo, false, "2007-11-06", kRecalled, kCivil, false},
    {"LVA", "Latvia", kEeg, false, "2006-01-04", kRecalled, kCivil, false},
    {"MAR", "Morocco", kAfr, false, "2007-05-09", kRecalled, kCivil | kMuslim, true},
    {"MDA", "Republic of Moldova", kEeg, false, "2007-10-01", kRecalled, kCivil, false},
    {"MDG", "Madagascar", kAfr, false, "2004-09-22", kRecalled, kCivil | kCustomary, true},
    {"MDV", "Maldives", kApg, false, "2007-03-22", kRecalled, kCommon | kMuslim, false},
    {"MEX", "Mexico", kLac, false, "2004-07-20", kRecalled, kCivil, false},
    {"MHL", "Marshall Islands", kApg, false, "2011-11-17", kRecalled, kCommon | kCustomary, false},
    {"MKD", "North Macedonia", kEeg, false, "2007-04-13", kRecalled, kCivil, false},
    {"MLI", "Mali", kAfr, false, "2008-04-18", kRecalled, kCivil | kCustomary, true},
    {"MLT", "Malta", kWeo, false, "2008-04-11", kRecalled, kCivil | kCommon, true},
    {"MMR", "Myanmar", kApg, false, "2012-12-20", kRecalled, kCommon | kCustomary, true},
    {"MNE", "Montenegro", kEeg, false, "2006-10-23", kRecalled, kCivil, false},
    {"MNG", "Mongolia", kApg, false, "2006-01-11", kRecalled, kCivil | kCustomary, true},
    {"MOZ", "Mozambique", kAfr, false, "2008-04-09", kRecalled, kCivil | kCustomary, true},
    {"MRT", "Mauritania", kAfr, false, "2006-10-25", kRecalled, kCivil | kMuslim, true},
    {"MUS", "Mauritius", kAfr, false, "2004-12-14", kRecalled, kCivil | kCommon, true},
    {"MWI", "Malawi", kAfr, false, "2007-12-04", kRecalled, kCommon | kCustomary, true},
    {"MYS", "Malaysia", kApg, false, "2008-09-24", kRecalled, kCommon | kMuslim | kCustomary, false},
    {"NAM", "Namibia", kAfr, false, "2004-08-03", kRecalled, kCivil | kCommon, true},
    {"NER", "Niger", kAfr, false, "2008-08-11", kRecalled, kCivil | kCustomary, true},
    {"NGA", "Nigeria", kAfr, false, "2004-12-14", kRecalled, kCommon | kMuslim | kCustomary, false},
    {"NIC", "Nicaragua", kLac, false, "2006-02-15", kRecalled, kCivil, false},
    {"NIU", "Niue", kApg, false, "2017-10-03", kApproximate, kCommon | kCustomary, false},
    {"NLD", "Netherlands (Kingdom of the)", kWeo, false, "2006-10-31", kRecalled, kCivil, false},
    {"NOR", "Norway", kWeo, false, "2006-06-29", kRecalled, kCivil, false},
    {"NPL", "Nepal", kApg, false, "2011-03-31", kRecalled, kCommon | kCustomary, true},
    {"NRU", "Nauru", kApg, false, "2012-07-12", kRecalled, kCommon | kCustomary, false},
    {"NZL", "New Zealand", kWeo, false, "2015-12-01", kRecalled, kCommon, false},
    {"OMN", "Oman", kApg, false, "2014-01-09", kRecalled, kCivil | kMuslim | kCustomary, true},
    {"PAK", "Pakistan", kApg, false, "2007-08-31", kRecalled, kCommon | kMuslim, true},
    {"PAN", "Panama", kLac, false, "2005-09-23", kRecalled, kCivil, false},
    {"PER", "Peru", kLac, false, "2004-11-16", kRecalled, kCivil, false},
    {"PHL", "Philippines", kApg, false, "2006-11-08", kRecalled, kCivil | kCommon, true},
    {"PLW", "Palau", kApg, false, "2009-03-24", kRecalled, kCommon | kCustomary, false},
    {"PNG", "Papua New Guinea", kApg, false, "2007-07-16", kRecalled, kCommon | kCustomary, true},
    {"POL", "Poland", kEeg, false, "2006-09-15", kRecalled, kCivil, false},
    {"PRT", "Portugal", kWeo, false, "2007-09-28", kRecalled, kCivil, false},
    {"PRY", "Paraguay", kLac, false, "2005-06-01", kRecalled, kCivil, false},
    {"PSE", "State of Palestine", kApg, false, "2014-04-02", kRecalled, kCivil | kMuslim, true},
    {"QAT", "Qatar", kApg, false, "2007-01-30", kRecalled, kCivil | kMuslim, false},
    {"ROU", "Romania", kEeg, false, "2004-11-02", kRecalled, kCivil, false},
    {"RUS", "Russian Federation", kEeg, false, "2006-05-09", kRecalled, kCivil, false},
    {"RWA", "Rwanda", kAfr, false, "2006-10-04", kRecalled, kCivil | kCustomary, true},
    {"SAU", "Saudi Arabia", kApg, false, "2013-04-29", kRecalled, kMuslim, false},
    {"SDN", "Sudan", kAfr, false, "2014-09-05", kRecalled, kCommon | kMuslim, true},
    {"SEN", "Senegal", kAfr, false, "2005-11-16", kRecalled, kCivil | kCustomary, true},
    {"SGP", "Singapore", kApg, false, "2009-11-06", kRecalled, kCommon | kMuslim, true},
    {"SLB", "Solomon Islands", kApg, false, "2012-01-06", kRecalled, kCommon | kCustomary, true},
    {"SLE", "Sierra Leone", kAfr, false, "2004-09-30", kRecalled, kCommon | kCustomary, true},
    {"SLV", "El Salvador", kLac, false, "2004-07-01", kRecalled, kCivil, false},
    {"SMR", "San Marino", kWeo, false, "2025-09-25", kFromIssue, kCivil, false},
    {"SOM", "Somalia", kAfr, false, "2021-08-26", kRecalled, kCivil | kCommon | kMuslim | kCustomary, false},
    {"SRB", "Serbia", kEeg, false, "2005-12-20", kRecalled, kCivil, false},
    {"SSD", "South Sudan", kAfr, false, "2015-01-23", kRecalled, kCommon | kCustomary, false},
    {"STP", "Sao Tome and Principe", kAfr, false, "2006-04-12", kRecalled, kCivil | kCustomary, true},
    {"SUR", "Suriname", kLac, false, "2021-11-01", kApproximate, kCivil, false},
    {"SVK", "Slovakia", kEeg, false, "2006-06-01", kRecalled, kCivil, false},
    {"SVN", "Slovenia", kEeg, false, "2008-04-01", kRecalled, kCivil, false},
    {"SWE", "Sweden", kWeo, false, "2007-09-25", kRecalled, kCivil, false},
    {"SWZ", "Eswatini", kAfr, false, "2012-09-24", kRecalled, kCivil | kCustomary, true},
    {"SYC", "Seychelles", kAfr, false, "2006-03-16", kRecalled, kCivil | kCommon, true},
    {"TCD", "Chad", kAfr, false, "2018-06-26", kRecalled, kCivil | kCustomary, true},
    {"TGO", "Togo", kAfr, false, "2005-07-06", kRecalled, kCivil | kCustomary, true},
    {"THA", "Thailand", kApg, false, "2011-03-01", kRecalled, kCivil, false},
    {"TJK", "Tajikistan", kApg, false, "2006-09-25", kRecalled, kCivil, false},
    {"TKM", "Turkmenistan", kApg, false, "2005-03-28", kRecalled, kCivil, false},
    {"TLS", "Timor-Leste", kApg, false, "2009-03-27", kRecalled, kCivil, false},
    {"TON", "Tonga", kApg, false, "2020-02-05", kApproximate, kCommon | kCustomary, false},
    {"TTO", "Trinidad and Tobago", kLac, false, "2006-05-31", kRecalled, kCommon, false},
    {"TUN", "Tunisia", kAfr, false, "2008-09-23", kRecalled, kCivil | kMuslim, true},
    {"TUR", "Türkiye", kWeo, false, "2006-11-09", kRecalled, kCivil, false},
    {"TUV", "Tuvalu", kApg, false, "2015-09-04", kRecalled, kCommon | kCustomary, false},
    {"TZA", "United Republic of Tanzania", kAfr, false, "2005-05-25", kRecalled, kCommon | kCustomary, true},
    {"UGA", "Uganda", kAfr, false, "2004-09-09", kRecalled, kCommon | kCustomary, true},
    {"UKR", "Ukraine", kEeg, false, "2009-12-02", kRecalled, kCivil, false},
    {"URY", "Uruguay", kLac, false, "2007-01-10", kRecalled, kCivil, false},
    {"USA", "United States of America", kWeo, false, "2006-10-30", kRecalled, kCommon, false},
    {"UZB", "Uzbekistan", kApg, false, "2008-07-29", kRecalled, kCivil, false},
    {"VAT", "Holy See", kWeo, false, "2016-09-19", kConfirmed, kCivil, false},
    {"VEN", "Venezuela (Bolivarian Republic of)", kLac, false, "2009-02-02", kRecalled, kCivil, false},
    {"VNM", "Viet Nam", kApg, false, "2009-08-19", kRecalled, kCivil, false},
    {"VUT", "Vanuatu", kApg, false, "2011-07-12", kRecalled, kCivil | kCommon | kCustomary, false},
    {"WSM", "Samoa", kApg, false, "2018-04-18", kRecalled, kCommon | kCustomary, true},
    {"YEM", "Yemen", kApg, false, "2005-11-07", kRecalled, kCivil | kMuslim | kCustomary, false},
    {"ZAF", "South Africa", kAfr, false, "2004-11-22", kRecalled, kCivil | kCommon, true},
    {"ZMB", "Zambia", kAfr, false, "2007-12-07", kRecalled, kCommon | kCustomary, true},
    {"ZWE", "Zimbabwe", kAfr, false, "2007-03-08", kRecalled, kCivil | kCommon | kCustomary, false},
};

constexpr Region kRegions[] = {kAfr, kApg, kEeg, kLac, kWeo};

constexpr LegalFamily kFamilies[] = {kCivilLaw, kCommonLaw, kMuslimLaw, kCustomaryLaw};
constexpr absl::string_view kFamilyNames[] = {"civil_law", "common_law", "muslim_law",
                                              "customary_law"};

// "YYYY-MM-DD" of the compiled-in table; a test checks every entry parses.
absl::CivilDay ParseTableDay(absl::string_view text) {
  auto digits = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  return absl::CivilDay(digits(0, 4), digits(5, 2), digits(8, 2));
}

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

absl::Span<const LegalFamily> AllLegalFamilies() { return kFamilies; }

absl::string_view LegalFamilyName(LegalFamily family) {
  for (size_t i = 0; i < 4; ++i) {
    if (kFamilies[i] == family) return kFamilyNames[i];
  }
  return "unknown";
}

std::vector<absl::string_view> LegalFamilyNames(uint8_t families) {
  std::vector<absl::string_view> out;
  for (size_t i = 0; i < 4; ++i) {
    if ((families & kFamilies[i]) != 0) out.push_back(kFamilyNames[i]);
  }
  return out;
}

absl::CivilDay PartySince(const StateParty& party) {
  return std::max(ParseTableDay(party.deposited) + 30, kConventionInForce);
}

bool IsPartyOn(const StateParty& party, absl::CivilDay day) { return PartySince(party) <= day; }

bool IsPartyOn(absl::string_view code, absl::CivilDay day) {
  const StateParty* party = Lookup(code);
  return party != nullptr && IsPartyOn(*party, day);
}

std::vector<const StateParty*> PartiesOn(absl::CivilDay day) {
  std::vector<const StateParty*> out;
  for (const StateParty& party : kStatesParties) {
    if (IsPartyOn(party, day)) out.push_back(&party);
  }
  return out;
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
