#include "engine/outcomes/outcome_tables.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/needs/needs_tables.h"
#include "engine/review/dates.h"

namespace irm::outcomes {
namespace {

namespace ev = ::irm::event::v1;

constexpr absl::string_view kGroupings[] = {"chapter", "article", "region",
                                            "state",   "kind",    "status"};

template <size_t N>
int RankIn(const absl::string_view (&list)[N], absl::string_view value) {
  auto it = std::find(std::begin(list), std::end(list), value);
  return static_cast<int>(it - std::begin(list));
}

std::string Humanize(absl::string_view key) {
  std::string text(key);
  std::replace(text.begin(), text.end(), '_', ' ');
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::optional<needs::Dimension> AsNeedsDimension(Grouping by) {
  switch (by) {
    case Grouping::kChapter: return needs::Dimension::kChapter;
    case Grouping::kArticle: return needs::Dimension::kArticle;
    case Grouping::kRegion: return needs::Dimension::kRegion;
    case Grouping::kState: return needs::Dimension::kState;
    default: return std::nullopt;
  }
}

std::string KeyOf(const ev::ReviewState& review, const ev::OutcomeState& outcome,
                  const std::string& status, Grouping by) {
  switch (by) {
    case Grouping::kChapter: return outcome.chapter();
    case Grouping::kArticle: return absl::StrCat(outcome.article());
    case Grouping::kRegion: return review.region();
    case Grouping::kState: return review.state();
    case Grouping::kKind: return outcome.kind();
    case Grouping::kStatus: return status;
  }
  return "";
}

std::tuple<int, std::string> OrderOf(const std::string& key, Grouping by) {
  if (std::optional<needs::Dimension> d = AsNeedsDimension(by)) {
    return needs::GroupOrder(key, *d, /*cycle=*/0);  // the cycle orders only need categories
  }
  if (by == Grouping::kKind) return {RankIn(review::kOutcomeKinds, key), key};
  return {RankIn(review::kRecommendationStatuses, key), key};
}

std::string LabelOf(const std::string& key, Grouping by) {
  if (std::optional<needs::Dimension> d = AsNeedsDimension(by)) return needs::GroupLabel(key, *d);
  return Humanize(key);
}

struct Tally {
  int count = 0;
  std::set<std::string> states;
  review::StatusTally by_status;
};

}  // namespace

absl::string_view GroupingName(Grouping by) { return kGroupings[static_cast<int>(by)]; }

absl::StatusOr<Grouping> ParseGrouping(absl::string_view name) {
  const int rank = RankIn(kGroupings, name);
  if (rank < static_cast<int>(std::size(kGroupings))) return static_cast<Grouping>(rank);
  return common::InvalidField("by", "INVALID_GROUPING",
                              absl::StrCat("cannot group outcomes by ", common::Quote(name),
                                           ": use one of ", absl::StrJoin(kGroupings, ", ")));
}

absl::StatusOr<Snapshot> ComputeSnapshot(const std::vector<ev::ReviewState>& reviews,
                                         const std::string& kind, Grouping by,
                                         std::optional<absl::CivilDay> as_of) {
  if (!kind.empty()) {
    absl::Status valid = review::CheckOutcomeKind(kind, "kind");
    if (!valid.ok()) return valid;
  }
  if (by == Grouping::kStatus && !kind.empty() && kind != review::kRecommendation) {
    return common::InvalidField(
        "kind", "STATUS_OF_RECOMMENDATIONS_ONLY",
        absl::StrCat("--by status groups recommendations by their implementation status; a ",
                     kind, " has none (leave --kind out or give --kind recommendation)"));
  }
  Snapshot snapshot;
  snapshot.as_of = as_of;
  Tally all;
  std::map<std::tuple<int, std::string>, Tally> groups;
  for (const ev::ReviewState& r : reviews) {
    bool counted = false;
    for (const ev::OutcomeState& outcome : r.outcomes()) {
      if (!review::RecordedBy(outcome, as_of)) continue;
      if (!kind.empty() && outcome.kind() != kind) continue;
      const bool recommendation = outcome.kind() == review::kRecommendation;
      if (by == Grouping::kStatus && !recommendation) continue;
      const std::string status = recommendation ? review::StatusOn(outcome, as_of) : "";
      Tally& group = groups[OrderOf(KeyOf(r, outcome, status, by), by)];
      for (Tally* t : {&all, &group}) {
        ++t->count;
        t->states.insert(r.state());
        if (recommendation) t->by_status.Add(status);
      }
      counted = true;
    }
    if (!counted) continue;
    ++snapshot.reviews;
    if (!r.summary_issued_on().empty()) {
      absl::StatusOr<absl::CivilDay> issued = review::ParseDate(r.summary_issued_on(), "date");
      snapshot.summaries_issued += issued.ok() && (!as_of || *issued <= *as_of);
    }
  }
  snapshot.total = all.count;
  snapshot.states = static_cast<int>(all.states.size());
  snapshot.by_status = all.by_status;
  for (auto& [order, tally] : groups) {
    Group& group = snapshot.groups.emplace_back();
    group.key = std::get<1>(order);
    group.label = LabelOf(group.key, by);
    group.count = tally.count;
    group.states = static_cast<int>(tally.states.size());
    group.by_status = tally.by_status;
  }
  return snapshot;
}

}  // namespace irm::outcomes
