#include "engine/review/outcomes.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/review/dates.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;

template <size_t N>
absl::Status CheckOneOf(const absl::string_view (&allowed)[N], absl::string_view value,
                        absl::string_view field, absl::string_view what,
                        absl::string_view reason) {
  for (absl::string_view a : allowed) {
    if (a == value) return absl::OkStatus();
  }
  return common::InvalidField(
      field, reason,
      absl::StrCat(what, " ", common::Quote(value), " is not one of ", absl::StrJoin(allowed, ", ")),
      {{"allowed", absl::StrJoin(allowed, ", ")}});
}

char KindLetter(absl::string_view kind) {
  if (kind == "observation") return 'O';
  if (kind == "recommendation") return 'R';
  if (kind == "good_practice") return 'G';
  if (kind == "challenge") return 'C';
  return '?';
}

absl::string_view KindOfLetter(char letter) {
  for (absl::string_view kind : kOutcomeKinds) {
    if (KindLetter(kind) == letter) return kind;
  }
  return "";
}

}  // namespace

absl::Status CheckOutcomeKind(absl::string_view kind, absl::string_view field) {
  return CheckOneOf(kOutcomeKinds, kind, field, "outcome kind", "INVALID_OUTCOME_KIND");
}

absl::Status CheckRecommendationStatus(absl::string_view status, absl::string_view field) {
  return CheckOneOf(kRecommendationStatuses, status, field, "recommendation status",
                    "INVALID_RECOMMENDATION_STATUS");
}

std::string OutcomeId(absl::string_view state, int cycle, absl::string_view kind, int number) {
  return absl::StrCat(state, "-", cycle, "-", std::string(1, KindLetter(kind)), number);
}

absl::StatusOr<OutcomeRef> ParseOutcomeId(absl::string_view outcome_id) {
  std::vector<absl::string_view> parts = absl::StrSplit(outcome_id, '-');
  OutcomeRef ref;
  const bool ok = parts.size() == 3 && parts[0].size() == 3 &&
                  absl::SimpleAtoi(parts[1], &ref.cycle) && parts[2].size() >= 2 &&
                  !KindOfLetter(parts[2][0]).empty() &&
                  absl::SimpleAtoi(parts[2].substr(1), &ref.number) && ref.number >= 1;
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        common::Quote(outcome_id),
        " is not an outcome id: outcome ids look like KEN-2-R7 (State, cycle, the kind's "
        "letter O, R, G or C, number)"));
  }
  ref.state = std::string(parts[0]);
  ref.kind = std::string(KindOfLetter(parts[2][0]));
  return ref;
}

const ev::OutcomeState* FindOutcome(const ev::ReviewState& review, absl::string_view id) {
  for (const ev::OutcomeState& outcome : review.outcomes()) {
    if (outcome.outcome_id() == id) return &outcome;
  }
  return nullptr;
}

int CountOutcomes(const ev::ReviewState& review, absl::string_view kind) {
  int count = 0;
  for (const ev::OutcomeState& outcome : review.outcomes()) count += outcome.kind() == kind;
  return count;
}

bool RecordedBy(const ev::OutcomeState& outcome, std::optional<absl::CivilDay> as_of) {
  if (!as_of) return true;
  absl::StatusOr<absl::CivilDay> day = ParseDate(outcome.recorded_on(), "date");
  return day.ok() && *day <= *as_of;
}

std::string StatusOn(const ev::OutcomeState& outcome, std::optional<absl::CivilDay> as_of) {
  const ev::OutcomeStatusStep* best = nullptr;
  absl::CivilDay best_day;
  for (const ev::OutcomeStatusStep& step : outcome.history()) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(step.on(), "date");
    if (!day.ok() || (as_of && *day > *as_of)) continue;
    if (best == nullptr || *day > best_day ||
        (*day == best_day && step.position() > best->position())) {
      best = &step;
      best_day = *day;
    }
  }
  return best == nullptr ? std::string(kNotStarted) : best->status();
}

void StatusTally::Add(absl::string_view status) {
  if (status == "partially_implemented") {
    ++partially_implemented;
  } else if (status == "implemented") {
    ++implemented;
  } else if (status == "no_longer_relevant") {
    ++no_longer_relevant;
  } else {
    ++not_started;
  }
}

int StatusTally::Total() const {
  return not_started + partially_implemented + implemented + no_longer_relevant;
}

int StatusTally::Of(absl::string_view status) const {
  if (status == "partially_implemented") return partially_implemented;
  if (status == "implemented") return implemented;
  if (status == "no_longer_relevant") return no_longer_relevant;
  if (status == "not_started") return not_started;
  return 0;
}

std::optional<double> StatusTally::ImplementationRate() const {
  const int relevant = Total() - no_longer_relevant;
  if (relevant <= 0) return std::nullopt;
  return (implemented + 0.5 * partially_implemented) / relevant;
}

ReviewOutcomes TallyOutcomes(const ev::ReviewState& review, std::optional<absl::CivilDay> as_of) {
  ReviewOutcomes tally;
  for (const ev::OutcomeState& outcome : review.outcomes()) {
    if (!RecordedBy(outcome, as_of)) continue;
    if (outcome.kind() == "observation") ++tally.observations;
    if (outcome.kind() == "good_practice") ++tally.good_practices;
    if (outcome.kind() == "challenge") ++tally.challenges;
    if (outcome.kind() == kRecommendation) {
      ++tally.recommendations;
      tally.statuses.Add(StatusOn(outcome, as_of));
    }
  }
  return tally;
}

}  // namespace irm::review
