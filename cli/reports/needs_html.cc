#include "cli/reports/needs_html.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/reports/needs_render.h"
#include "engine/common/html_escape.h"

namespace irm::cli {
namespace {

using ::irm::common::HtmlEscape;

using api::v1::NeedsGroup;
using api::v1::NeedsReport;
using api::v1::NeedsTable;

constexpr char kStyle[] = R"(
body{font-family:sans-serif;margin:2em;color:#1b1b1b;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
p.summary{font-size:1.05em}
svg.chart{display:block;margin:.5em 0}
svg.chart text{font-size:12px;fill:#1b1b1b;font-family:sans-serif}
rect.bar{fill:#1f77b4}rect.bar.earlier{fill:#aec7e8}
table.figures{border-collapse:collapse;margin:.5em 0 1em}
table.figures th,table.figures td{border:1px solid #bbb;padding:2px 8px}
table.figures td.n{text-align:right}
table.figures tr.total{font-weight:bold}
)";

}  // namespace

const char* ReportPageStyle() { return kStyle; }

namespace {

// A horizontal bar chart of `value(group)` per group.
template <typename Value>
std::string Chart(const NeedsTable& table, const std::string& figure, Value value) {
  constexpr int kLabelWidth = 330, kBarWidth = 560, kRow = 22, kTop = 6;
  int max = 1;
  for (const NeedsGroup& g : table.groups()) max = std::max(max, value(g));
  const int height = kTop * 2 + kRow * std::max(1, table.groups_size());
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" data-figure=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
      figure, kLabelWidth + kBarWidth + 60, height, HtmlEscape(figure));
  int y = kTop;
  for (const NeedsGroup& g : table.groups()) {
    const int width = std::max(1, value(g) * kBarWidth / max);
    std::string label = g.label().size() > 48 ? g.label().substr(0, 45) + "..." : g.label();
    absl::StrAppendFormat(&svg,
                          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                          "<rect class=\"bar\" data-key=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" "
                          "height=\"%d\"><title>%s: %d</title></rect>"
                          "<text class=\"value\" x=\"%d\" y=\"%d\">%d</text>\n",
                          kLabelWidth - 6, y + 15, HtmlEscape(label), HtmlEscape(g.key()), kLabelWidth, y + 3,
                          width, kRow - 6, HtmlEscape(g.label()), value(g), kLabelWidth + width + 5,
                          y + 15, value(g));
    y += kRow;
  }
  return svg + "</svg>\n";
}

std::string FigureTable(const NeedsReport& report, int index) {
  const NeedsTable& table = report.current().tables(index);
  const NeedsTable* then = report.compared() ? &report.earlier().tables(index) : nullptr;
  std::string html = "<table class=\"figures\">\n<tr><th>Key</th><th></th><th>Needs</th>"
                     "<th>Share</th><th>States</th>";
  for (const auto& s : table.totals().statuses()) absl::StrAppend(&html, "<th>", s.status(), "</th>");
  if (then) absl::StrAppend(&html, "<th>Needs on ", report.earlier().as_of(), "</th><th>Change</th>");
  html += "</tr>\n";
  auto row = [&](const std::string& cls, const std::string& key, const std::string& label,
                 const NeedsGroup& g, int earlier) {
    absl::StrAppend(&html, "<tr class=\"", cls, "\"><td>", HtmlEscape(key), "</td><td>", HtmlEscape(label),
                    "</td><td class=\"n\">", g.needs(), "</td><td class=\"n\">",
                    Share(g.needs(), table.totals().needs()), "</td><td class=\"n\">", g.states(),
                    "</td>");
    for (const auto& s : g.statuses()) absl::StrAppend(&html, "<td class=\"n\">", s.needs(), "</td>");
    if (then) {
      int delta = g.needs() - earlier;
      absl::StrAppend(&html, "<td class=\"n\">", earlier, "</td><td class=\"n\">",
                      delta > 0 ? "+" : "", delta, "</td>");
    }
    html += "</tr>\n";
  };
  for (const NeedsGroup& g : table.groups()) {
    const NeedsGroup* a = then ? FindGroup(*then, g.key()) : nullptr;
    row("group", g.key(), g.label(), g, a ? a->needs() : 0);
  }
  NeedsGroup total;
  total.set_needs(table.totals().needs());
  total.set_states(table.totals().states_with_needs());
  *total.mutable_statuses() = table.totals().statuses();
  row("total", "total", "", total, then ? then->totals().needs() : 0);
  return html + "</table>\n";
}

}  // namespace

std::vector<api::v1::NeedsDimension> HtmlDimensions(int cycle) {
  std::vector<api::v1::NeedsDimension> dimensions(4);
  dimensions[0].set_by("chapter");
  dimensions[1].set_by("category");
  dimensions[2].set_by("article");
  if (cycle != 1) dimensions[2].set_chapter("II");
  dimensions[3].set_by("region");
  return dimensions;
}

std::string NeedsHtmlPage(const NeedsReport& report) {
  const api::v1::NeedsSnapshot& now = report.current();
  const std::string scope = report.cycle() == 0 ? "both cycles" : absl::StrCat("cycle ", report.cycle());
  const std::string as_of = now.as_of().empty() ? "" : absl::StrCat(" as of ", now.as_of());
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
      "Technical-assistance needs, ", scope, as_of, "</title>\n<style>", kStyle,
      "</style></head>\n<body>\n<h1>Technical-assistance needs identified in country reviews, ",
      scope, as_of, "</h1>\n<p class=\"summary\" id=\"summary\">", now.totals().summaries_issued(),
      " executive summaries issued; <span id=\"states-with-needs\">",
      now.totals().states_with_needs(), "</span> States identified needs; <span id=\"total-needs\">",
      now.totals().needs(), "</span> individual needs.");
  if (report.compared()) {
    const int delta = now.totals().needs() - report.earlier().totals().needs();
    absl::StrAppend(&html, " On ", report.earlier().as_of(), ": ",
                    report.earlier().totals().needs(), " needs from ",
                    report.earlier().totals().states_with_needs(), " States (",
                    delta >= 0 ? "+" : "", delta, ").");
  }
  html += " Counts are of identified needs; a change of status never removes a need.</p>\n";
  struct Figure {
    std::string id, title;
    bool states;
  };
  const std::string article_title = now.tables_size() > 2 && !now.tables(2).dimension().chapter().empty()
                                        ? "Chapter II needs by article"
                                        : "Needs by article";
  const Figure figures[] = {{"needs-by-chapter", "Needs by chapter", false},
                            {"needs-by-category", "Needs by category", false},
                            {"needs-by-article", article_title, false},
                            {"states-by-region", "States with needs by regional group", true}};
  for (int i = 0; i < 4 && i < now.tables_size(); ++i) {
    const Figure& f = figures[i];
    absl::StrAppend(&html, "<section id=\"", f.id, "\">\n<h2>Figure ", i + 1, ". ", f.title, "</h2>\n");
    if (f.states) {
      html += Chart(now.tables(i), f.id, [](const NeedsGroup& g) { return g.states(); });
    } else {
      html += Chart(now.tables(i), f.id, [](const NeedsGroup& g) { return g.needs(); });
    }
    html += FigureTable(report, i);
    html += "</section>\n";
  }
  return html + "</body></html>\n";
}

}  // namespace irm::cli
