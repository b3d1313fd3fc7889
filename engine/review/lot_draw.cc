#include "engine/review/lot_draw.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
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
};

absl::StatusOr<Member> Resolve(absl::string_view code, absl::string_view where) {
  IRM_ASSIGN_OR_RETURN(const domain::StateParty* party, domain::FindStateParty(code));
  if (!TakesPartInDraws(*party)) {
    return absl::InvalidArgument(
        absl::StrCat(code, " in ", where, ": the European Union ", kNoDrawReason,
                     "; leave it out of the list"));
  }
  return Member{std::string(party->code), party->region};
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
    return absl::InvalidArgument(absl::StrCat(dup->code, " appears more than once in ", where,
                                              "; list each State once"));
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
    if (pairs_.insert({reviewer, under_review}).second) ++load_[reviewer];
  }
  int Load(const std::string& reviewer) const {
    auto it = load_.find(reviewer);
    return it == load_.end() ? 0 : it->second;
  }
  bool Reviews(const std::string& reviewer, const std::string& under_review) const {
    return pairs_.count({reviewer, under_review}) > 0;
  }
  std::vector<std::string> ReviewedBy(const std::string& reviewer) const {
    std::vector<std::string> out;
    for (const auto& [r, u] : pairs_) {
      if (r == reviewer) out.push_back(u);
    }
    return out;
  }

 private:
  std::map<std::string, int> load_;
  std::set<std::pair<std::string, std::string>> pairs_;  // (reviewer, under_review)
};

struct SlotSpec {
  const Member* under_review;
  int slot;                      // 1 or 2
  std::string other;             // the other slot's reviewer, or empty
  std::set<std::string> excluded;
};

// The sorted candidates of one lot, or FailedPrecondition explaining why there are none.
absl::StatusOr<std::vector<std::string>> Candidates(int cycle, const SlotSpec& spec,
                                                    absl::Span<const Member> pool,
                                                    const Ledger& ledger) {
  const std::string& u = spec.under_review->code;
  int considered = 0, self = 0, other = 0, excluded = 0, already = 0, mutual = 0, full = 0;
  std::vector<const Member*> eligible;
  for (const Member& m : pool) {
    if (spec.slot == 1 && m.region != spec.under_review->region) continue;
    ++considered;
    if (m.code == u) { ++self; continue; }
    if (m.code == spec.other) { ++other; continue; }
    if (spec.excluded.count(m.code) > 0) { ++excluded; continue; }
    if (ledger.Reviews(m.code, u)) { ++already; continue; }
    if (ledger.Reviews(u, m.code)) { ++mutual; continue; }
    if (ledger.Load(m.code) >= kMaxReviewsPerCycle) { ++full; continue; }
    eligible.push_back(&m);
  }
  if (eligible.empty()) {
    std::vector<std::string> why;
    if (self > 0) why.push_back(absl::StrCat(u, " itself"));
    if (other > 0) why.push_back(absl::StrCat(spec.other, ", which holds the other slot"));
    if (excluded > 0) why.push_back(absl::StrCat(excluded, " being replaced"));
    if (already > 0) why.push_back(absl::StrCat(already, " already reviewing ", u));
    if (mutual > 0) {
      why.push_back(absl::StrCat(mutual, " reviewed by ", u,
                                 " (two States may not review each other in a cycle)"));
    }
    if (full > 0) {
      why.push_back(absl::StrCat(full, " already reviewing ", kMaxReviewsPerCycle,
                                 " States (the most per cycle)"));
    }
    const std::string group =
        spec.slot == 1 ? absl::StrCat(RegionName(spec.under_review->region), " ") : "";
    return absl::FailedPreconditionError(absl::StrCat(
        "no eligible reviewer for slot ", spec.slot,
        spec.slot == 1 ? " (same regional group, " : " (any group",
        spec.slot == 1 ? RegionName(spec.under_review->region) : "", ") of ", u,
        " in cycle ", cycle, ": the pool has ", considered, " ", group, "States",
        why.empty() ? "" : ", excluded as: ", absl::StrJoin(why, "; "),
        "; widen the pool of reviewing States or redraw earlier reviews"));
  }
  int min_load = kMaxReviewsPerCycle;
  for (const Member* m : eligible) min_load = std::min(min_load, ledger.Load(m->code));
  std::vector<std::string> out;
  for (const Member* m : eligible) {
    if (min_load >= kPreferredMaxReviews || ledger.Load(m->code) < kPreferredMaxReviews) {
      out.push_back(m->code);
    }
  }
  return out;  // pool is sorted, so out is too
}

std::string DrawLot(uint64_t seed, int cycle, const std::string& under_review, int slot,
                    int attempt, const std::vector<std::string>& candidates) {
  return candidates[LotIndex(LotSeed(seed, cycle, under_review, slot, attempt),
                             candidates.size())];
}

absl::StatusOr<ReviewerDraw> DrawAttempt(int cycle, uint64_t seed, int attempt,
                                         absl::Span<const Member> under,
                                         absl::Span<const Assignment> existing,
                                         absl::Span<const Member> pool) {
  std::set<std::string> replaced;
  for (const Member& m : under) replaced.insert(m.code);
  Ledger ledger(existing, replaced);
  ReviewerDraw draw;
  draw.attempts = attempt + 1;
  for (const Member& u : under) {
    DrawnReviewers d;
    d.under_review = u.code;
    IRM_ASSIGN_OR_RETURN(d.slot1_candidates,
                         Candidates(cycle, SlotSpec{&u, 1, "", {}}, pool, ledger));
    d.slot1 = DrawLot(seed, cycle, u.code, 1, attempt, d.slot1_candidates);
    ledger.Add(u.code, d.slot1);
    IRM_ASSIGN_OR_RETURN(d.slot2_candidates,
                         Candidates(cycle, SlotSpec{&u, 2, d.slot1, {}}, pool, ledger));
    d.slot2 = DrawLot(seed, cycle, u.code, 2, attempt, d.slot2_candidates);
    ledger.Add(u.code, d.slot2);
    draw.reviews.push_back(std::move(d));
  }
  return draw;
}

}  // namespace

bool TakesPartInDraws(const domain::StateParty& party) {
  return !party.is_regional_organization;
}

std::vector<std::string> DrawParticipants() {
  std::vector<std::string> out;
  for (const domain::StateParty& party : domain::AllStatesParties()) {
    if (TakesPartInDraws(party)) out.emplace_back(party.code);
  }
  return out;
}

uint64_t LotSeed(uint64_t seed, int cycle, absl::string_view under_review, int slot,
                 int attempt) {
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
                                           absl::Span<const std::string> pool) {
  IRM_RETURN_IF_ERROR(domain::CheckCycle(cycle));
  IRM_ASSIGN_OR_RETURN(std::vector<Member> under,
                       ResolveAll(under_review, "the States under review", true));
  IRM_ASSIGN_OR_RETURN(std::vector<Member> reviewers,
                       ResolveAll(pool, "the pool of reviewing States", false));
  absl::Status first_failure;
  for (int attempt = 0; attempt < kMaxDrawAttempts; ++attempt) {
    absl::StatusOr<ReviewerDraw> draw =
        DrawAttempt(cycle, seed, attempt, under, existing, reviewers);
    if (draw.ok() || !absl::IsFailedPrecondition(draw.status())) return draw;
    if (first_failure.ok()) first_failure = draw.status();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      first_failure.message(), " (all ", kMaxDrawAttempts, " attempts of the draw failed)"));
}

absl::StatusOr<DrawnSlot> DrawSlot(const SlotRedraw& request,
                                   absl::Span<const Assignment> existing,
                                   absl::Span<const std::string> pool) {
  IRM_RETURN_IF_ERROR(domain::CheckCycle(request.cycle));
  if (request.slot != 1 && request.slot != 2) {
    return absl::InvalidArgument(
        absl::StrCat("slot ", request.slot, " does not exist: a review has slots 1 and 2"));
  }
  IRM_ASSIGN_OR_RETURN(Member under, Resolve(request.under_review, "the State under review"));
  SlotSpec spec{&under, request.slot, request.other_reviewer, {}};
  for (const std::string& code : request.excluded) {
    IRM_RETURN_IF_ERROR(domain::FindStateParty(code).status());
    spec.excluded.insert(code);
  }
  Ledger ledger(existing, {under.code});
  if (!request.other_reviewer.empty()) {
    IRM_ASSIGN_OR_RETURN(Member other, Resolve(request.other_reviewer, "the other slot"));
    if (other.code == under.code) {
      return absl::InvalidArgument(
          absl::StrCat(under.code, " holds the other slot of its own review; a State never "
                                   "reviews itself"));
    }
    ledger.Add(under.code, other.code);
  }
  IRM_ASSIGN_OR_RETURN(std::vector<Member> reviewers,
                       ResolveAll(pool, "the pool of reviewing States", false));
  DrawnSlot out;
  IRM_ASSIGN_OR_RETURN(out.candidates, Candidates(request.cycle, spec, reviewers, ledger));
  out.reviewer =
      DrawLot(request.seed, request.cycle, under.code, request.slot, 0, out.candidates);
  return out;
}

absl::Status CheckAssignment(absl::string_view under_review,
                             absl::Span<const std::string> reviewers,
                             absl::Span<const Assignment> existing) {
  IRM_ASSIGN_OR_RETURN(const domain::StateParty* u, domain::FindStateParty(under_review));
  if (reviewers.size() != 2) {
    return absl::InvalidArgument(absl::StrCat(
        "the review of ", u->code, " needs exactly 2 reviewing States (slot 1 from its ",
        "regional group, slot 2 from any group), got ", reviewers.size()));
  }
  std::vector<const domain::StateParty*> r;
  for (const std::string& code : reviewers) {
    IRM_ASSIGN_OR_RETURN(const domain::StateParty* party, domain::FindStateParty(code));
    if (party == u) {
      return absl::InvalidArgument(absl::StrCat(
          code, " cannot review itself; choose another State for that slot"));
    }
    r.push_back(party);
  }
  if (r[0] == r[1]) {
    return absl::InvalidArgument(absl::StrCat(r[0]->code, " is named for both slots of the "
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
  for (const domain::StateParty* party : r) {
    const std::string code(party->code);
    if (ledger.Reviews(std::string(u->code), code)) {
      return absl::FailedPreconditionError(absl::StrCat(
          code, " cannot review ", u->code, ": ", u->code, " already reviews ", code,
          " in this cycle, and two States may not review each other; choose another State"));
    }
    if (ledger.Load(code) >= kMaxReviewsPerCycle) {
      return absl::FailedPreconditionError(absl::StrCat(
          code, " already reviews ", kMaxReviewsPerCycle, " States in this cycle (",
          absl::StrJoin(ledger.ReviewedBy(code), ", "),
          "), the most a State may review; choose another State"));
    }
  }
  return absl::OkStatus();
}

}  // namespace irm::review
