#include "cli/reports/outcomes_render.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/reports/needs_render.h"
#include "cli/review/review_text.h"
#include "cli/core/text_table.h"

namespace irm::cli {
namespace {

using api::v1::OutcomesGroup;
using api::v1::OutcomesReport;
using api::v1::OutcomesSnapshot;

const OutcomesSnapshot* Earlier(const OutcomesReport& report) {
  return report.compared() ? &report.earlier() : nullptr;
}

// The group `key` of `now`, or an empty one labelled as the earlier group.
OutcomesGroup GroupOrEmpty(const OutcomesSnapshot& now, const OutcomesSnapshot* then,
                           const std::string& key) {
  if (const OutcomesGroup* g = api_json::FindGroup(now, key)) return *g;
  OutcomesGroup empty = *api_json::FindGroup(*then, key);
  empty.set_count(0);
  empty.set_states(0);
  empty.set_has_rate(false);
  for (auto& s : *empty.mutable_by_status()) s.set_recommendations(0);
  return empty;
}

std::string RateText(bool has_rate, double rate) {
  return has_rate ? absl::StrFormat("%.3f", rate) : "";
}

}  // namespace

void PrintOutcomesCsv(const OutcomesReport& report, std::ostream& out) {
  const OutcomesSnapshot& now = report.current();
  const OutcomesSnapshot* then = Earlier(report);
  out << "key,label,count,states";
  for (const auto& s : now.by_status()) out << "," << s.status();
  out << ",implementation_rate";
  if (then != nullptr) out << ",earlier_count,earlier_states,delta_count,delta_states";
  out << "\n";
  for (const std::string& key : api_json::UnionKeys(now, then)) {
    const OutcomesGroup g = GroupOrEmpty(now, then, key);
    out << Csv(key) << "," << Csv(g.label()) << "," << g.count() << "," << g.states();
    for (const auto& s : g.by_status()) out << "," << s.recommendations();
    out << "," << RateText(g.has_rate(), g.implementation_rate());
    if (then != nullptr) {
      const OutcomesGroup* a = api_json::FindGroup(*then, key);
      const int count = a ? a->count() : 0;
      const int states = a ? a->states() : 0;
      out << "," << count << "," << states << "," << g.count() - count << ","
          << g.states() - states;
    }
    out << "\n";
  }
}

void PrintOutcomesTable(const OutcomesReport& report, std::ostream& out) {
  const OutcomesSnapshot& now = report.current();
  const OutcomesSnapshot* then = Earlier(report);
  out << "Review outcomes"
      << (report.kind().empty() ? "" : absl::StrCat(" (", report.kind(), ")"))
      << (report.cycle() == 0 ? ", both cycles" : absl::StrCat(", cycle ", report.cycle()))
      << ", by " << report.by()
      << (now.as_of().empty() ? "" : absl::StrCat(", as of ", now.as_of())) << "\n";
  std::vector<std::string> header = {absl::AsciiStrToUpper(report.by()), "COUNT", "SHARE",
                                     "STATES"};
  for (const auto& s : now.by_status()) header.push_back(absl::AsciiStrToUpper(s.status()));
  header.push_back("RATE");
  if (then != nullptr) {
    header.push_back(absl::StrCat("ON ", then->as_of()));
    header.push_back("CHANGE");
  }
  header.push_back("NAME");
  TextTable text(header);
  for (size_t i = 1; i + 1 < header.size(); ++i) text.AlignRight(i);
  auto row = [&](const std::string& key, const OutcomesGroup& g, const OutcomesGroup* a,
                 const std::string& label) {
    std::vector<std::string> cells = {key, absl::StrCat(g.count()), Share(g.count(), now.total()),
                                      absl::StrCat(g.states())};
    for (const auto& s : g.by_status()) cells.push_back(absl::StrCat(s.recommendations()));
    cells.push_back(g.has_rate() ? RatePercent(g.implementation_rate()) : "-");
    if (then != nullptr) {
      cells.push_back(absl::StrCat(a ? a->count() : 0));
      cells.push_back(Signed(g.count() - (a ? a->count() : 0)));
    }
    cells.push_back(label);
    text.AddRow(std::move(cells));
  };
  for (const std::string& key : api_json::UnionKeys(now, then)) {
    const OutcomesGroup g = GroupOrEmpty(now, then, key);
    row(key, g, then ? api_json::FindGroup(*then, key) : nullptr, g.label());
  }
  const OutcomesGroup earlier_total = then ? api_json::TotalGroup(*then) : OutcomesGroup();
  row("total", api_json::TotalGroup(now), then ? &earlier_total : nullptr, "");
  text.Print(out);
  out << now.reviews() << " reviews with outcomes (" << now.summaries_issued()
      << " executive summaries issued); implementation rate "
      << (now.has_rate() ? RatePercent(now.implementation_rate()) : "-");
  if (then != nullptr) {
    out << " (" << (then->has_rate() ? RatePercent(then->implementation_rate()) : "-") << " on "
        << then->as_of() << ")";
  }
  out << "\n";
}

}  // namespace irm::cli
