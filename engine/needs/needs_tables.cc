#include "engine/needs/needs_tables.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/common/quote.h"
#include "engine/domain/reference_data.h"

namespace irm::needs {
namespace {

namespace ev = ::irm::event::v1;

constexpr absl::string_view kDimensions[] = {"chapter", "article", "category", "region", "state"};

// Business dates are YYYY-MM-DD, so string order is date order.
std::string DayText(std::optional<absl::CivilDay> day) {
  if (!day) return "9999-12-31";
  return absl::StrFormat("%04d-%02d-%02d", day->year(), day->month(), day->day());
}

int ChapterRank(absl::string_view chapter) {
  static constexpr absl::string_view kChapters[] = {"II", "III", "IV", "V"};
  for (int i = 0; i < 4; ++i) {
    if (kChapters[i] == chapter) return i;
  }
  return 4;
}

std::string ChapterLabel(absl::string_view chapter) {
  static const std::map<std::string, std::string>* titles = new std::map<std::string, std::string>{
      {"II", "preventive measures"},
      {"III", "criminalization and law enforcement"},
      {"IV", "international cooperation"},
      {"V", "asset recovery"}};
  auto it = titles->find(std::string(chapter));
  return absl::StrCat("Chapter ", chapter, it == titles->end() ? "" : absl::StrCat(": ", it->second));
}

// Categories in domain.md's order: the cycle's list, or cycle 1's then cycle 2's new ones.
int CategoryRank(absl::string_view category, int cycle) {
  std::vector<absl::string_view> order;
  for (int c : cycle == 0 ? std::vector<int>{1, 2} : std::vector<int>{cycle}) {
    for (absl::string_view k : domain::NeedCategories(c)) {
      if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
    }
  }
  auto it = std::find(order.begin(), order.end(), category);
  return static_cast<int>(it - order.begin());
}

std::string Humanize(absl::string_view key) {
  std::string text(key);
  std::replace(text.begin(), text.end(), '_', ' ');
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// The group key of `need` under `by`, and (rank, key) to sort groups by.
std::string KeyOf(const ev::NeedRecord& need, Dimension by) {
  switch (by) {
    case Dimension::kChapter: return need.chapter();
    case Dimension::kArticle: return absl::StrCat(need.article());
    case Dimension::kCategory: return need.category();
    case Dimension::kRegion: return need.region();
    case Dimension::kState: return need.state();
  }
  return "";
}

}  // namespace

std::tuple<int, std::string> GroupOrder(const std::string& key, Dimension by, int cycle) {
  switch (by) {
    case Dimension::kChapter: return {ChapterRank(key), key};
    case Dimension::kArticle: return {std::atoi(key.c_str()), key};
    case Dimension::kCategory: return {CategoryRank(key, cycle), key};
    case Dimension::kRegion: {
      absl::StatusOr<domain::Region> region = domain::ParseRegion(key);
      return {region.ok() ? static_cast<int>(*region) : 99, key};
    }
    case Dimension::kState: return {0, key};
  }
  return {0, key};
}

std::string GroupLabel(const std::string& key, Dimension by) {
  switch (by) {
    case Dimension::kChapter: return ChapterLabel(key);
    case Dimension::kArticle: {
      absl::StatusOr<const domain::Article*> article = domain::FindArticle(std::atoi(key.c_str()));
      return article.ok() ? absl::StrCat("Art. ", key, " ", (*article)->title) : key;
    }
    case Dimension::kCategory:
    case Dimension::kRegion: return Humanize(key);
    case Dimension::kState: {
      absl::StatusOr<const domain::StateParty*> party = domain::FindStateParty(key);
      return party.ok() ? std::string((*party)->name) : key;
    }
  }
  return key;
}

namespace {

StatusCounts EmptyStatuses() {
  StatusCounts counts;
  for (const std::string& s : ReportStatuses()) counts[s] = 0;
  return counts;
}

// Accumulates one group: needs, distinct States, statuses.
struct Tally {
  int needs = 0;
  std::set<std::string> states;
  StatusCounts statuses = EmptyStatuses();
  void Add(const ev::NeedRecord& need, const std::string& status) {
    ++needs;
    states.insert(need.state());
    ++statuses[status];
  }
};

Table ComputeTable(const std::vector<const ev::NeedRecord*>& needs,
                   const std::vector<std::string>& statuses, const TableSpec& spec, int cycle) {
  Table table;
  table.spec = spec;
  Tally all;
  std::map<std::tuple<int, std::string>, Tally> groups;
  for (size_t i = 0; i < needs.size(); ++i) {
    const ev::NeedRecord& need = *needs[i];
    if (!spec.chapter.empty() && need.chapter() != spec.chapter) continue;
    all.Add(need, statuses[i]);
    groups[GroupOrder(KeyOf(need, spec.by), spec.by, cycle)].Add(need, statuses[i]);
  }
  table.totals.needs = all.needs;
  table.totals.states_with_needs = static_cast<int>(all.states.size());
  table.totals.statuses = all.statuses;
  for (auto& [sort_key, tally] : groups) {
    GroupCount& group = table.groups.emplace_back();
    group.key = std::get<1>(sort_key);
    group.label = GroupLabel(group.key, spec.by);
    group.needs = tally.needs;
    group.states = static_cast<int>(tally.states.size());
    group.statuses = std::move(tally.statuses);
  }
  return table;
}

}  // namespace

absl::string_view DimensionName(Dimension dimension) {
  return kDimensions[static_cast<int>(dimension)];
}

absl::StatusOr<Dimension> ParseDimension(absl::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kDimensions[i] == name) return static_cast<Dimension>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat("cannot group needs by ", common::Quote(name),
                                                 ": use one of ",
                                                 absl::StrJoin(kDimensions, ", ")));
}

absl::Status CheckChapter(absl::string_view chapter) {
  if (chapter.empty() || ChapterRank(chapter) < 4) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("chapter ", common::Quote(chapter),
                                                 " is not under review: use II, III, IV or V"));
}

const std::vector<std::string>& ReportStatuses() {
  static const auto* statuses = new std::vector<std::string>{"identified", "current", "anticipated",
                                                             "addressed", "unmet"};
  return *statuses;
}

std::string StatusOn(const ev::NeedRecord& need, std::optional<absl::CivilDay> as_of) {
  const std::string until = DayText(as_of);
  const ev::NeedStatusStep* latest = nullptr;
  for (const ev::NeedStatusStep& step : need.history()) {
    if (step.on() > until) continue;
    if (latest == nullptr || std::make_tuple(step.on(), step.position()) >=
                                 std::make_tuple(latest->on(), latest->position())) {
      latest = &step;
    }
  }
  return latest == nullptr || latest->status().empty() ? "identified" : latest->status();
}

Snapshot ComputeSnapshot(const std::vector<ev::NeedRecord>& needs,
                         const std::vector<ev::NeedsReviewRecord>& reviews, int cycle,
                         std::optional<absl::CivilDay> as_of, const std::vector<TableSpec>& specs) {
  const std::string until = DayText(as_of);
  std::vector<const ev::NeedRecord*> counted;
  std::vector<std::string> statuses;
  for (const ev::NeedRecord& need : needs) {
    if (need.identified_on() > until) continue;
    counted.push_back(&need);
    statuses.push_back(StatusOn(need, as_of));
  }
  Snapshot snapshot;
  snapshot.as_of = as_of;
  snapshot.totals = ComputeTable(counted, statuses, TableSpec{}, cycle).totals;
  for (const ev::NeedsReviewRecord& review : reviews) {
    if (!review.summary_issued_on().empty() && review.summary_issued_on() <= until) {
      ++snapshot.totals.summaries_issued;
    }
  }
  for (const TableSpec& spec : specs) {
    snapshot.tables.push_back(ComputeTable(counted, statuses, spec, cycle));
    snapshot.tables.back().totals.summaries_issued = snapshot.totals.summaries_issued;
  }
  return snapshot;
}

}  // namespace irm::needs
