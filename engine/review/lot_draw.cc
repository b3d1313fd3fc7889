#include "engine/review/lot_draw.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/status_macros.h"
#include "engine/review/lot_rng.h"

namespace irm::review {
namespace {

using domain::Region;
using domain::RegionName;

constexpr absl::string_view kNoDrawReason =
    "belongs to no UN regional group and takes part in no drawing of lots";

struct Member {
  std::string code;
  Region region;
  int load = 0;  // reviews in the cycle so far; kept only for the pool of a draw
  uint8_t legal_systems = 0;
};

absl::Status CheckRule(int rule) {
  if (rule == kLegacyDrawRule || rule == kSimilarLegalSystemRule) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("draw rule ", rule, " is unknown: rules are ",
                                                 kLegacyDrawRule, " and ",
                                                 kSimilarLegalSystemRule));
}

absl::StatusOr<Member> Resolve(absl::string_view code, absl::string_view where) {
  IRM_ASSIGN_OR_RETURN(const domain::StateParty* party, domain::FindStateParty(code));
  if (!TakesPartInDraws(*party)) {
    return absl::InvalidArgumentError(absl::StrCat(code, " in ", where, ": the European Union ",
                                                   kNoDrawReason, "; leave it out of the list"));
  }
  return Member{std::string(party->code), party->region, 0, party->legal_systems};
}

// Resolves `codes` sorted by code. Duplicates are an error if `unique`, else dropped.
absl::StatusOr<std::vector<Member>> ResolveAll(absl::Span<const std::string> codes,
                                               absl::string_view where, bool unique) {
  std::vector<Member> out;
  out.reserve(codes.size());
  for (const std::string& code : codes) {
    IRM_ASSIGN_OR_RETURN(Member member, Resolve(code, where));
    out.push_back(std::move(member));
  }
  std::sort(out.begin(), out.end(),
            [](const Member& a, const Member& b) { return a.code < b.code; });
  auto same = [](const Member& a, const Member& b) { return a.code == b.code; };
  auto dup = std::adjacent_find(out.begin(), out.end(), same);
  if (unique && dup != out.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(dup->code, " appears more than once in ", where, "; list each State once"));
  }
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

// Who reviews whom in the cycle, counting existing and newly drawn assignments.
class Ledger {
 public:
  // Assignments whose State under review is in `replaced` are not counted.
  Ledger(absl::Span<const Assignment> existing, const std::set<std::string>& replaced) {
    for (const Assignment& a : existing) {
      if (replaced.count(a.under_review) == 0) Add(a.under_review, a.reviewer);
    }
  }
  void Add(const std::string& under_review, const std::string& reviewer) {
    std::vector<std::string>& reviewed = reviewing_[reviewer];
    if (std::find(reviewed.begin(), reviewed.end(), under_review) != reviewed.end()) return;
    reviewed.push_back(under_review);
    reviewers_[under_review].push_back(reviewer);
  }
  int Load(const std::string& reviewer) const {
    auto it = reviewing_.find(reviewer);
    return it == reviewing_.end() ? 0 : static_cast<int>(it->second.size());
  }
  // The States `reviewer` reviews, sorted.
  std::vector<std::string> ReviewedBy(const std::string& reviewer) const {
    return Sorted(reviewing_, reviewer);
  }
  // The States reviewing `under_review`, sorted.
  std::vector<std::string> ReviewersOf(const std::string& under_review) const {
    return Sorted(reviewers_, under_review);
  }

 private:
  using Index = std::unordered_map<std::string, std::vector<std::string>>;
  static std::vector<std::string> Sorted(const Index& index, const std::string& key) {
    auto it = index.find(key);
    if (it == index.end()) return {};
    std::vector<std::string> out = it->second;
    std::sort(out.begin(), out.end());
    return out;
  }
  Index reviewing_;  // reviewer -> States under review
  Index reviewers_;  // State under review -> its reviewers
};

// Sets the load of every pool member from `ledger`.
void SetLoads(const Ledger& ledger, std::vector<Member>& pool) {
  for (Member& m : pool) m.load = ledger.Load(m.code);
}

// Records that `reviewer` reviews `under_review`, in `ledger` and in the sorted `pool`.
void Record(const std::string& under_review, const std::string& reviewer, Ledger& ledger,
            std::vector<Member>& pool) {
  ledger.Add(under_review, reviewer);
  auto it = std::lower_bound(pool.begin(), pool.end(), reviewer,
                             [](const Member& m, const std::string& c) { return m.code < c; });
  if (it != pool.end() && it->code == reviewer) it->load = ledger.Load(reviewer);
}

struct SlotSpec {
  const Member* under_review;
  int slot;           // 1 or 2
  std::string other;  // the other slot's reviewer, or empty
  std::set<std::string> excluded;
  int rule = kLegacyDrawRule;
};

// The candidates of one lot and, under rule 1, the eligible slot-1 States left out for a
// dissimilar legal system.
struct Lot {
  std::vector<std::string> candidates;
  std::vector<std::string> dissimilar;
};

// Why a State of the right group cannot hold a slot; kEligible if it can.
enum Exclusion { kSelf, kOtherSlot, kReplaced, kAlreadyReviewing, kMutual, kFull, kEligible };

// The sorted candidates of one lot, or FailedPrecondition explaining why there are none.
// `pool` is sorted by code and its loads are current (SetLoads, Record).
absl::StatusOr<Lot> Candidates(int cycle, const SlotSpec& spec, absl::Span<const Member> pool,
                               const Ledger& ledger) {
  const std::string& u = spec.under_review->code;
  const std::vector<std::string> reviewers_of_u = ledger.ReviewersOf(u);
  const std::vector<std::string> reviewed_by_u = ledger.ReviewedBy(u);
  auto in = [](const std::vector<std::string>& sorted, const std::string& code) {
    return std::binary_search(sorted.begin(), sorted.end(), code);
  };
  auto exclusion = [&](const Member& m) {
    if (m.code == u) return kSelf;
    if (m.code == spec.other) return kOtherSlot;
    if (spec.excluded.count(m.code) > 0) return kReplaced;
    if (in(reviewers_of_u, m.code)) return kAlreadyReviewing;
    if (in(reviewed_by_u, m.code)) return kMutual;
    if (m.load >= kMaxReviewsPerCycle) return kFull;
    return kEligible;
  };
  int tally[kEligible + 1] = {};
  std::vector<const Member*> eligible;
  for (const Member& m : pool) {
    if (spec.slot == 1 && m.region != spec.under_review->region) continue;
    const Exclusion e = exclusion(m);
    ++tally[e];
    if (e == kEligible) eligible.push_back(&m);
  }
  if (eligible.empty()) {
    const std::string reasons[] = {
        absl::StrCat(u, " itself"),
        absl::StrCat(spec.other, ", which holds the other slot"),
        " being replaced by this redraw",
        absl::StrCat(" already reviewing ", u),
        absl::StrCat(" reviewed by ", u, " (two States may not review each other in a cycle)"),
        absl::StrCat(" already reviewing ", kMaxReviewsPerCycle, " States (the most per cycle)")};
    std::vector<std::string> why;
    for (int e = kSelf; e < kEligible; ++e) {
      if (tally[e] == 0) continue;
      why.push_back(e <= kOtherSlot ? reasons[e] : absl::StrCat(tally[e], reasons[e]));
    }
    const std::string slot = spec.slot == 1
                                 ? absl::StrCat("slot 1 (same regional group, ",
                                                RegionName(spec.under_review->region), ")")
                                 : "slot 2 (any group)";
    return absl::FailedPreconditionError(absl::StrCat(
        "no eligible reviewer for ", slot, " of ", u, " in cycle ", cycle, ": ",
        why.empty() ? "the pool has no State that could hold it"
                    : absl::StrCat("every State of the pool that could hold it is excluded: ",
                                   absl::StrJoin(why, "; ")),
        "; widen the pool of reviewing States or redraw earlier reviews"));
  }
  Lot lot;
  if (spec.slot == 1 && spec.rule >= kSimilarLegalSystemRule) {
    std::vector<const Member*> similar;
    for (const Member* m : eligible) {
      if (domain::SimilarLegalSystems(m->legal_systems, spec.under_review->legal_systems)) {
        similar.push_back(m);
      } else {
        lot.dissimilar.push_back(m->code);
      }
    }
    if (similar.empty()) {
      lot.dissimilar.clear();  // none similar: the preference does not apply
    } else {
      eligible = std::move(similar);
    }
  }
  int min_load = kMaxReviewsPerCycle;
  for (const Member* m : eligible) min_load = std::min(min_load, m->load);
  for (const Member* m : eligible) {  // sorted, as the pool is
    if (min_load >= kPreferredMaxReviews || m->load < kPreferredMaxReviews) {
      lot.candidates.push_back(m->code);
    }
  }
  return lot;
}

std::string DrawLot(uint64_t seed, int cycle, const std::string& under_review, int slot,
                    int attempt, const std::vector<std::string>& candidates) {
  return candidates[LotIndex(LotSeed(seed, cycle, under_review, slot, attempt), candidates.size())];
}

absl::StatusOr<ReviewerDraw> DrawAttempt(int cycle, uint64_t seed, int attempt, int rule,
                                         absl::Span<const Member> under,
                                         absl::Span<const Assignment> existing,
                                         std::vector<Member> pool) {
  std::set<std::string> replaced;
  for (const Member& m : under) replaced.insert(m.code);
  Ledger ledger(existing, replaced);
  SetLoads(ledger, pool);
  ReviewerDraw draw;
  draw.attempts = attempt + 1;
  for (const Member& u : under) {
    DrawnReviewers d;
    d.under_review = u.code;
    IRM_ASSIGN_OR_RETURN(Lot lot1, Candidates(cycle, SlotSpec{&u, 1, "", {}, rule}, pool, ledger));
    d.slot1_candidates = std::move(lot1.candidates);
    d.slot1_dissimilar = std::move(lot1.dissimilar);
    d.slot1 = DrawLot(seed, cycle, u.code, 1, attempt, d.slot1_candidates);
    Record(u.code, d.slot1, ledger, pool);
    IRM_ASSIGN_OR_RETURN(Lot lot2,
                         Candidates(cycle, SlotSpec{&u, 2, d.slot1, {}, rule}, pool, ledger));
    d.slot2_candidates = std::move(lot2.candidates);
    d.slot2 = DrawLot(seed, cycle, u.code, 2, attempt, d.slot2_candidates);
    Record(u.code, d.slot2, ledger, pool);
    draw.reviews.push_back(std::move(d));
  }
  return draw;
}

}  // namespace

bool TakesPartInDraws(const domain::StateParty& party) { return !party.is_regional_organization; }

std::vector<std::string> DrawParticipants() {
  std::vector<std::string> out;
  for (const domain::StateParty& party : domain::AllStatesParties()) {
    if (TakesPartInDraws(party)) out.emplace_back(party.code);
  }
  return out;
}

std::vector<std::string> DrawParticipantsOn(absl::CivilDay day) {
  std::vector<std::string> out;
  for (const domain::StateParty* party : domain::PartiesOn(day)) {
    if (TakesPartInDraws(*party)) out.emplace_back(party->code);
  }
  return out;
}

std::string LegalSystemsText(absl::string_view code) {
  absl::StatusOr<const domain::StateParty*> party = domain::FindStateParty(code);
  if (!party.ok()) return "";
  return absl::StrJoin(domain::LegalFamilyNames((*party)->legal_systems), "+");
}

uint64_t LotSeed(uint64_t seed, int cycle, absl::string_view under_review, int slot, int attempt) {
  uint64_t h = MixSeed(seed, static_cast<uint64_t>(cycle));
  h = MixSeed(h, HashCode(under_review));
  h = MixSeed(h, static_cast<uint64_t>(slot));
  return MixSeed(h, static_cast<uint64_t>(attempt));
}

size_t LotIndex(uint64_t lot_seed, size_t count) {
  Xoshiro256ss rng(lot_seed);
  return static_cast<size_t>(rng.UniformIndex(count));
}

absl::StatusOr<std::vector<YearLot>> DrawYears(int cycle, uint64_t seed,
                                               absl::Span<const std::string> states) {
  IRM_RETURN_IF_ERROR(domain::CheckCycle(cycle));
  IRM_ASSIGN_OR_RETURN(std::vector<Member> members,
                       ResolveAll(states, "the States to schedule", /*unique=*/true));
  Xoshiro256ss rng(MixSeed(MixSeed(seed, static_cast<uint64_t>(cycle)), HashCode("years")));
  // Round-robin over the years, continuing from group to group: each group, and the
  // whole, is then spread evenly. The starting year is drawn, then each group shuffled.
  uint64_t next = rng.UniformIndex(4);
  std::vector<YearLot> out;
  for (Region region : domain::AllRegions()) {
    std::vector<std::string> group;
    for (const Member& m : members) {
      if (m.region == region) group.push_back(m.code);
    }
    Shuffle(absl::MakeSpan(group), rng);
    for (std::string& code : group) {
      out.push_back(YearLot{std::move(code), static_cast<int>(next % 4) + 1});
      ++next;
    }
  }
  std::sort(out.begin(), out.end(),
            [](const YearLot& a, const YearLot& b) { return a.state < b.state; });
  return out;
}

absl::StatusOr<ReviewerDraw> DrawReviewers(int cycle, uint64_t seed,
                                           absl::Span<const std::string> under_review,
                                           absl::Span<const Assignment> existing,
                                           absl::Span<const std::string> pool, int rule) {
  IRM_RETURN_IF_ERROR(domain::CheckCycle(cycle));
  IRM_RETURN_IF_ERROR(CheckRule(rule));
  IRM_ASSIGN_OR_RETURN(std::vector<Member> under,
                       ResolveAll(under_review, "the States under review", true));
  IRM_ASSIGN_OR_RETURN(std::vector<Member> reviewers,
                       ResolveAll(pool, "the pool of reviewing States", false));
  absl::Status first_failure;
  for (int attempt = 0; attempt < kMaxDrawAttempts; ++attempt) {
    absl::StatusOr<ReviewerDraw> draw =
        DrawAttempt(cycle, seed, attempt, rule, under, existing, reviewers);
    if (draw.ok() || !absl::IsFailedPrecondition(draw.status())) return draw;
    if (first_failure.ok()) first_failure = draw.status();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      first_failure.message(), " (all ", kMaxDrawAttempts, " attempts of the draw failed)"));
}

absl::StatusOr<DrawnSlot> DrawSlot(const SlotRedraw& request, absl::Span<const Assignment> existing,
                                   absl::Span<const std::string> pool) {
  IRM_RETURN_IF_ERROR(domain::CheckCycle(request.cycle));
  IRM_RETURN_IF_ERROR(CheckRule(request.rule));
  if (request.slot != 1 && request.slot != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("slot ", request.slot, " does not exist: a review has slots 1 and 2"));
  }
  IRM_ASSIGN_OR_RETURN(Member under, Resolve(request.under_review, "the State under review"));
  SlotSpec spec{&under, request.slot, request.other_reviewer, {}, request.rule};
  for (const std::string& code : request.excluded) {
    IRM_RETURN_IF_ERROR(domain::FindStateParty(code).status());
    spec.excluded.insert(code);
  }
  Ledger ledger(existing, {under.code});
  if (!request.other_reviewer.empty()) {
    IRM_ASSIGN_OR_RETURN(Member other, Resolve(request.other_reviewer, "the other slot"));
    if (other.code == under.code) {
      return absl::InvalidArgumentError(
          absl::StrCat(under.code,
                       " holds the other slot of its own review; a State never "
                       "reviews itself"));
    }
    ledger.Add(under.code, other.code);
  }
  IRM_ASSIGN_OR_RETURN(std::vector<Member> reviewers,
                       ResolveAll(pool, "the pool of reviewing States", false));
  SetLoads(ledger, reviewers);
  DrawnSlot out;
  IRM_ASSIGN_OR_RETURN(Lot lot, Candidates(request.cycle, spec, reviewers, ledger));
  out.candidates = std::move(lot.candidates);
  out.dissimilar = std::move(lot.dissimilar);
  out.reviewer = DrawLot(request.seed, request.cycle, under.code, request.slot, 0, out.candidates);
  return out;
}

absl::Status CheckAssignment(absl::string_view under_review,
                             absl::Span<const std::string> reviewers,
                             absl::Span<const Assignment> existing) {
  IRM_ASSIGN_OR_RETURN(const domain::StateParty* u, domain::FindStateParty(under_review));
  if (reviewers.size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the review of ", u->code, " needs exactly 2 reviewing States (slot 1 from its ",
        "regional group, slot 2 from any group), got ", reviewers.size()));
  }
  std::vector<const domain::StateParty*> r;
  for (const std::string& code : reviewers) {
    IRM_ASSIGN_OR_RETURN(const domain::StateParty* party, domain::FindStateParty(code));
    if (party == u) {
      return absl::InvalidArgumentError(
          absl::StrCat(code, " cannot review itself; choose another State for that slot"));
    }
    r.push_back(party);
  }
  if (r[0] == r[1]) {
    return absl::InvalidArgumentError(absl::StrCat(r[0]->code, " is named for both slots of the ",
                                                   "review of ", u->code,
                                                   "; the two reviewing States must differ"));
  }
  for (const domain::StateParty* party : {u, r[0], r[1]}) {
    if (!TakesPartInDraws(*party)) {
      return absl::FailedPreconditionError(
          absl::StrCat(party->code, ": the European Union ", kNoDrawReason));
    }
  }
  if (r[0]->region != u->region) {
    return absl::FailedPreconditionError(absl::StrCat(
        "slot 1 of the review of ", u->code, " must be a State of its regional group (",
        RegionName(u->region), "), but ", r[0]->code, " is ", RegionName(r[0]->region),
        r[1]->region == u->region ? "; swap the two slots" : "; choose a State of that group"));
  }
  Ledger ledger(existing, {std::string(u->code)});
  const std::vector<std::string> reviewed_by_u = ledger.ReviewedBy(std::string(u->code));
  for (const domain::StateParty* party : r) {
    const std::string code(party->code);
    if (std::binary_search(reviewed_by_u.begin(), reviewed_by_u.end(), code)) {
      return absl::FailedPreconditionError(absl::StrCat(
          code, " cannot review ", u->code, ": ", u->code, " already reviews ", code,
          " in this cycle, and two States may not review each other; choose another State"));
    }
    if (ledger.Load(code) >= kMaxReviewsPerCycle) {
      return absl::FailedPreconditionError(
          absl::StrCat(code, " already reviews ", kMaxReviewsPerCycle, " States in this cycle (",
                       absl::StrJoin(ledger.ReviewedBy(code), ", "),
                       "), the most a State may review; choose another State"));
    }
  }
  return absl::OkStatus();
}

}  // namespace irm::review
