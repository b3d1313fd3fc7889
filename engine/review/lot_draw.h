// The drawing of lots of the Implementation Review Mechanism (domain.md, section 3): the
// review year of every State party at the start of a cycle, and the two reviewing States
// of every review.
//
// Everything here is a pure function of its arguments: no clock, no store, no global
// state. The same cycle, seed and inputs give the same result on every platform (see
// lot_rng.h), whatever the order of the input lists, which are sorted first. Every lot is
// drawn by LotIndex(LotSeed(seed, cycle, under_review, slot, attempt), candidates.size())
// from a sorted candidate list that the result returns, so an auditor can redo each lot
// from the event alone.
//
// The rules of a reviewer draw, for the review of State U:
//   - slot 1 is a State of U's regional group; slot 2 is a State of any group;
//   - U never reviews itself, and its two reviewers are distinct;
//   - no mutual pair: if U reviews R in the cycle, R may not review U;
//   - a State reviews at most three others per cycle (kMaxReviewsPerCycle);
//   - a candidate already reviewing two or more States is left out of a lot whenever a
//     candidate with fewer exists (the IRG's practice of excluding States that did two).
//   - draw rule 1 (kSimilarLegalSystemRule, issue 21): slot 1 goes, whenever an eligible
//     candidate allows it, to a State whose legal-system families intersect U's ("where
//     possible, a similar legal system", ToR paragraph 19). The preference comes after the
//     hard rules above and before the load preference: eligible States with a similar
//     system are kept (if there is one), and among those the load preference applies.
//     Rule 0 (kLegacyDrawRule) is the rule before: no legal-system preference. Events
//     without a rule field were drawn under rule 0, and redo under it.
// Who may be drawn depends on the draw's business date: callers pass the parties on that
// date (DrawParticipantsOn).
//
// The European Union (the one party with is_regional_organization) takes part in no draw:
// it belongs to no UN regional group, so neither the same-group slot nor the even spread
// of years is defined for it, and its review under the mechanism has not been arranged.
// Passing "EUU" to a draw is an InvalidArgument; to CheckAssignment a FailedPrecondition.
//
// Thread-safety: all functions are thread-safe (no shared mutable state).
#ifndef IRM_ENGINE_REVIEW_LOT_DRAW_H_
#define IRM_ENGINE_REVIEW_LOT_DRAW_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "engine/domain/reference_data.h"

namespace irm::review {

inline constexpr int kMaxReviewsPerCycle = 3;
// A candidate with this many reviews is drawn only when no candidate has fewer.
inline constexpr int kPreferredMaxReviews = 2;
// DrawReviewers retries a greedy draw that runs out of candidates this many times in all.
inline constexpr int kMaxDrawAttempts = 16;

// The draw rules (see above). New draws use kCurrentDrawRule and record it.
inline constexpr int kLegacyDrawRule = 0;
inline constexpr int kSimilarLegalSystemRule = 1;
inline constexpr int kCurrentDrawRule = kSimilarLegalSystemRule;

// False for the European Union (see above); true for every State party.
bool TakesPartInDraws(const domain::StateParty& party);

// The codes of all States ever recorded as parties that take part in draws (whatever
// their date), sorted; 191 entries.
std::vector<std::string> DrawParticipants();

// The codes of the States that take part in draws and are parties on `day`, sorted.
std::vector<std::string> DrawParticipantsOn(absl::CivilDay day);

// "civil_law+customary_law": the families of a State party, as draw events record them;
// "" for an unknown code.
std::string LegalSystemsText(absl::string_view code);

// The seed of one lot, and the index that lot draws from a list of `count` candidates
// (count > 0). An auditor recomputes candidates[LotIndex(LotSeed(...), size)].
uint64_t LotSeed(uint64_t seed, int cycle, absl::string_view under_review, int slot, int attempt);
size_t LotIndex(uint64_t lot_seed, size_t count);

// ---------------------------------------------------------------------------------------
// Review years

struct YearLot {
  std::string state;  // State party code
  int year = 0;       // 1..4
};

// Draws a review year 1-4 for every State in `states` (the caller leaves out States
// already scheduled in the cycle). Within each regional group, and over all States, the
// counts per year differ by at most one. Returns one entry per State, sorted by code.
// InvalidArgument for an invalid cycle, an unknown or duplicate code, or the EU.
absl::StatusOr<std::vector<YearLot>> DrawYears(int cycle, uint64_t seed,
                                               absl::Span<const std::string> states);

// ---------------------------------------------------------------------------------------
// Reviewers

// `reviewer` reviews `under_review` in the cycle at hand. Codes are taken as recorded.
struct Assignment {
  std::string under_review;
  std::string reviewer;
};

struct DrawnReviewers {
  std::string under_review;
  std::string slot1;  // same regional group
  std::string slot2;  // any group
  // The sorted lists the two lots were drawn from; each contains its slot's reviewer.
  std::vector<std::string> slot1_candidates;
  std::vector<std::string> slot2_candidates;
  // Rule 1: eligible slot-1 States left out because their legal systems are not similar
  // to the State under review's (empty when none had a similar system, or under rule 0).
  std::vector<std::string> slot1_dissimilar;
};

struct ReviewerDraw {
  // One entry per State under review, sorted by code, drawn in that order.
  std::vector<DrawnReviewers> reviews;
  // How many greedy attempts were made (1..kMaxDrawAttempts); every lot of this result
  // used attempt index `attempts - 1` in LotSeed.
  int attempts = 0;
};

// Draws both reviewers of each State in `under_review` (any order; no duplicates) from
// `pool`, the reviewing States taking part (any order; duplicates ignored), counting
// `existing`, the cycle's assignments. Existing assignments of a State in `under_review`
// are ignored: the draw replaces them. States are drawn in code order, each draw counting
// the ones before it. If the greedy draw runs out of candidates it is repeated with the
// next attempt index, up to kMaxDrawAttempts times.
// InvalidArgument for an invalid cycle, unknown or duplicate codes, or the EU;
// FailedPrecondition if every attempt failed, naming the State, the slot and why.
// `rule` is kLegacyDrawRule or kSimilarLegalSystemRule (InvalidArgument otherwise).
absl::StatusOr<ReviewerDraw> DrawReviewers(int cycle, uint64_t seed,
                                           absl::Span<const std::string> under_review,
                                           absl::Span<const Assignment> existing,
                                           absl::Span<const std::string> pool,
                                           int rule = kLegacyDrawRule);

// A redraw of one slot (ReviewerRedrawRequested, ReviewerWithdrew). Use a fresh seed per
// redraw; the lot uses attempt index 0.
struct SlotRedraw {
  int cycle = 0;
  uint64_t seed = 0;
  std::string under_review;
  int slot = 0;                       // 1 (same regional group) or 2 (any group)
  std::string other_reviewer;         // holder of the other slot; empty if it is vacant
  std::vector<std::string> excluded;  // the State(s) being replaced; never drawn
  int rule = kLegacyDrawRule;         // the draw rule (see above)
};

struct DrawnSlot {
  std::string reviewer;
  std::vector<std::string> candidates;  // sorted; the list the lot was drawn from
  std::vector<std::string> dissimilar;  // as DrawnReviewers::slot1_dissimilar (slot 1)
};

// Draws a new reviewer for one slot under the same rules as DrawReviewers. Existing
// assignments of `under_review` are ignored; `other_reviewer` is counted instead.
// InvalidArgument for a bad cycle, slot or code; FailedPrecondition if no State is
// eligible, naming the State, the slot and why.
absl::StatusOr<DrawnSlot> DrawSlot(const SlotRedraw& request, absl::Span<const Assignment> existing,
                                   absl::Span<const std::string> pool);

// Checks reviewers chosen elsewhere (`review assign-reviewers`): `reviewers` is
// {slot 1, slot 2}. Existing assignments of `under_review` are ignored (these replace
// them). InvalidArgument for a wrong count, an unknown code, a State reviewing itself or
// the same reviewer twice; FailedPrecondition for the EU, slot 1 outside the regional
// group, a mutual pair or a reviewer already at three reviews. The preference for
// reviewers with fewer than two reviews is a rule of the lot only and is not checked.
absl::Status CheckAssignment(absl::string_view under_review,
                             absl::Span<const std::string> reviewers,
                             absl::Span<const Assignment> existing);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_LOT_DRAW_H_
