#include "cli/reports/needs_render.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/core/text_table.h"

namespace irm::cli {
namespace {

using api::v1::NeedsGroup;
using api::v1::NeedsReport;
using api::v1::NeedsTable;
using Json = nlohmann::ordered_json;

}  // namespace

std::string Csv(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string Signed(int n) { return n > 0 ? absl::StrCat("+", n) : absl::StrCat(n); }

std::string Share(int needs, int total) {
  if (total == 0) return "-";
  return absl::StrFormat("%.1f%%", 100.0 * needs / total);
}

void PrintNeedsCsv(const NeedsReport& report, int index, std::ostream& out) {
  const NeedsTable& table = report.current().tables(index);
  const NeedsTable* then = Earlier(report, index);
  out << "key,label,needs,states";
  for (const auto& s : table.totals().statuses()) out << "," << s.status();
  if (then != nullptr) out << ",earlier_needs,earlier_states,delta_needs,delta_states";
  out << "\n";
  for (const std::string& key : UnionKeys(table, then)) {
    const NeedsGroup* g = FindGroup(table, key);
    const NeedsGroup* a = then ? FindGroup(*then, key) : nullptr;
    NeedsGroup empty;
    if (g == nullptr) {
      empty = *a;
      empty.set_needs(0);
      empty.set_states(0);
      for (auto& s : *empty.mutable_statuses()) s.set_needs(0);
      g = &empty;
    }
    out << Csv(key) << "," << Csv(g->label()) << "," << g->needs() << "," << g->states();
    for (const auto& s : g->statuses()) out << "," << s.needs();
    if (then != nullptr) {
      int needs = a ? a->needs() : 0;
      int states = a ? a->states() : 0;
      out << "," << needs << "," << states << "," << g->needs() - needs << ","
          << g->states() - states;
    }
    out << "\n";
  }
}

void PrintNeedsTable(const NeedsReport& report, int index, std::ostream& out) {
  const NeedsTable& table = report.current().tables(index);
  const NeedsTable* then = Earlier(report, index);
  const std::string& by = table.dimension().by();
  out << "Technical-assistance needs"
      << (report.cycle() == 0 ? ", both cycles" : absl::StrCat(", cycle ", report.cycle()))
      << (table.dimension().chapter().empty() ? ""
                                              : absl::StrCat(", chapter ", table.dimension().chapter()))
      << ", by " << by
      << (report.current().as_of().empty() ? "" : absl::StrCat(", as of ", report.current().as_of()))
      << "\n";
  std::vector<std::string> header = {absl::AsciiStrToUpper(by), "NEEDS", "SHARE", "STATES"};
  for (const auto& s : table.totals().statuses()) header.push_back(absl::AsciiStrToUpper(s.status()));
  if (then != nullptr) {
    header.push_back(absl::StrCat("ON ", report.earlier().as_of()));
    header.push_back("CHANGE");
  }
  header.push_back("NAME");
  TextTable text(header);
  for (size_t i = 1; i + 1 < header.size(); ++i) text.AlignRight(i);
  auto row = [&](const std::string& key, const NeedsGroup* g, const NeedsGroup* a,
                 const std::string& label) {
    std::vector<std::string> cells = {key, absl::StrCat(g ? g->needs() : 0),
                                      Share(g ? g->needs() : 0, table.totals().needs()),
                                      absl::StrCat(g ? g->states() : 0)};
    for (int i = 0; i < table.totals().statuses_size(); ++i) {
      cells.push_back(absl::StrCat(g ? g->statuses(i).needs() : 0));
    }
    if (then != nullptr) {
      cells.push_back(absl::StrCat(a ? a->needs() : 0));
      cells.push_back(Signed((g ? g->needs() : 0) - (a ? a->needs() : 0)));
    }
    cells.push_back(label);
    text.AddRow(std::move(cells));
  };
  for (const std::string& key : UnionKeys(table, then)) {
    const NeedsGroup* g = FindGroup(table, key);
    const NeedsGroup* a = then ? FindGroup(*then, key) : nullptr;
    row(key, g, a, g ? g->label() : a->label());
  }
  NeedsGroup total;
  total.set_needs(table.totals().needs());
  total.set_states(table.totals().states_with_needs());
  *total.mutable_statuses() = table.totals().statuses();
  NeedsGroup earlier_total;
  if (then != nullptr) earlier_total.set_needs(then->totals().needs());
  row("total", &total, then ? &earlier_total : nullptr, "");
  text.Print(out);
  out << report.current().totals().summaries_issued() << " executive summaries issued; "
      << table.totals().states_with_needs() << " States with needs";
  if (then != nullptr) {
    out << " (" << then->totals().states_with_needs() << " on " << report.earlier().as_of()
        << "); " << table.totals().needs() << " needs against " << then->totals().needs()
        << " on " << report.earlier().as_of() << " ("
        << Signed(table.totals().needs() - then->totals().needs()) << ")";
  }
  out << "\n";
}

}  // namespace irm::cli
