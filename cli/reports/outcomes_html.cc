#include "cli/reports/outcomes_html.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "api_json/outcomes_json.h"
#include "cli/reports/needs_html.h"
#include "cli/review/review_text.h"
#include "engine/common/html_escape.h"

namespace irm::cli {
namespace {

using ::irm::common::HtmlEscape;

using api::v1::OutcomesGroup;
using api::v1::OutcomesReport;

constexpr char kStatusStyle[] = R"(
rect.bar.not_started{fill:#c7c7c7}rect.bar.partially_implemented{fill:#ffbb33}
rect.bar.implemented{fill:#2ca02c}rect.bar.no_longer_relevant{fill:#9edae5}
span.key{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}
)";

const char* StatusColour(const std::string& status) {
  if (status == "implemented") return "#2ca02c";
  if (status == "partially_implemented") return "#ffbb33";
  if (status == "no_longer_relevant") return "#9edae5";
  return "#c7c7c7";
}

// A stacked horizontal bar per group: its recommendations per status.
std::string Chart(const OutcomesReport& report, const std::string& figure) {
  constexpr int kLabelWidth = 330, kBarWidth = 560, kRow = 22, kTop = 6;
  int max = 1;
  for (const OutcomesGroup& g : report.current().groups()) max = std::max(max, g.count());
  const int height = kTop * 2 + kRow * std::max(1, report.current().groups_size());
  std::string svg = absl::StrFormat(
      "<svg class=\"chart\" data-figure=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
      figure, kLabelWidth + kBarWidth + 80, height, HtmlEscape(figure));
  int y = kTop;
  for (const OutcomesGroup& g : report.current().groups()) {
    std::string label = g.label().size() > 48 ? g.label().substr(0, 45) + "..." : g.label();
    absl::StrAppendFormat(&svg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                          kLabelWidth - 6, y + 15, HtmlEscape(label));
    int x = kLabelWidth;
    for (const auto& s : g.by_status()) {
      if (s.recommendations() == 0) continue;
      const int width = std::max(1, s.recommendations() * kBarWidth / max);
      absl::StrAppendFormat(
          &svg,
          "<rect class=\"bar %s\" data-key=\"%s\" data-status=\"%s\" data-count=\"%d\" "
          "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s, %s: %d</title>"
          "</rect>",
          s.status(), HtmlEscape(g.key()), s.status(), s.recommendations(), x, y + 3, width,
          kRow - 6, StatusColour(s.status()), HtmlEscape(g.label()), s.status(),
          s.recommendations());
      x += width;
    }
    absl::StrAppendFormat(&svg, "<text class=\"value\" x=\"%d\" y=\"%d\">%d (%s)</text>\n", x + 5,
                          y + 15, g.count(),
                          g.has_rate() ? RatePercent(g.implementation_rate()) : "-");
    y += kRow;
  }
  return svg + "</svg>\n";
}

std::string FigureTable(const OutcomesReport& report) {
  const api::v1::OutcomesSnapshot& now = report.current();
  const api::v1::OutcomesSnapshot* then = report.compared() ? &report.earlier() : nullptr;
  std::string html = "<table class=\"figures\">\n<tr><th>Key</th><th></th><th>Recommendations</th>"
                     "<th>States</th>";
  for (const auto& s : now.by_status()) absl::StrAppend(&html, "<th>", s.status(), "</th>");
  html += "<th>Implementation rate</th>";
  if (then) absl::StrAppend(&html, "<th>On ", then->as_of(), "</th><th>Rate then</th>");
  html += "</tr>\n";
  auto row = [&](const std::string& cls, const std::string& key, const std::string& label,
                 const OutcomesGroup& g, const OutcomesGroup* a) {
    absl::StrAppend(&html, "<tr class=\"", cls, "\" data-key=\"", HtmlEscape(key), "\"><td>",
                    HtmlEscape(key), "</td><td>", HtmlEscape(label), "</td><td class=\"n\">",
                    g.count(), "</td><td class=\"n\">", g.states(), "</td>");
    for (const auto& s : g.by_status()) {
      absl::StrAppend(&html, "<td class=\"n\">", s.recommendations(), "</td>");
    }
    absl::StrAppend(&html, "<td class=\"n\">",
                    g.has_rate() ? RatePercent(g.implementation_rate()) : "-", "</td>");
    if (then) {
      absl::StrAppend(&html, "<td class=\"n\">", a ? a->count() : 0, "</td><td class=\"n\">",
                      a && a->has_rate() ? RatePercent(a->implementation_rate()) : "-", "</td>");
    }
    html += "</tr>\n";
  };
  for (const OutcomesGroup& g : now.groups()) {
    row("group", g.key(), g.label(), g, then ? api_json::FindGroup(*then, g.key()) : nullptr);
  }
  const OutcomesGroup earlier = then ? api_json::TotalGroup(*then) : OutcomesGroup();
  row("total", "total", "", api_json::TotalGroup(now), then ? &earlier : nullptr);
  return html + "</table>\n";
}

}  // namespace

std::string OutcomesHtmlPage(const OutcomesReport& by_region, const OutcomesReport& by_chapter) {
  const api::v1::OutcomesSnapshot& now = by_region.current();
  const std::string scope =
      by_region.cycle() == 0 ? "both cycles" : absl::StrCat("cycle ", by_region.cycle());
  const std::string as_of = now.as_of().empty() ? "" : absl::StrCat(" as of ", now.as_of());
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
      "Implementation of review recommendations, ", scope, as_of, "</title>\n<style>",
      ReportPageStyle(), kStatusStyle, "</style></head>\n<body>\n<h1>Implementation of review "
      "recommendations, ", scope, as_of, "</h1>\n<p class=\"summary\" id=\"summary\"><span "
      "id=\"total-recommendations\">", now.total(), "</span> recommendations to <span "
      "id=\"states\">", now.states(), "</span> States; implementation rate <span "
      "id=\"implementation-rate\">", now.has_rate() ? RatePercent(now.implementation_rate()) : "-",
      "</span>.");
  if (by_region.compared()) {
    const api::v1::OutcomesSnapshot& then = by_region.earlier();
    absl::StrAppend(&html, " On ", then.as_of(), ": ", then.total(), " recommendations, rate ",
                    then.has_rate() ? RatePercent(then.implementation_rate()) : "-", ".");
  }
  html += " The implementation rate is implemented plus half of partially implemented, over the "
          "recommendations not marked no longer relevant; a recommendation without a status "
          "counts as not started.</p>\n<p class=\"legend\">";
  for (const auto& s : now.by_status()) {
    absl::StrAppend(&html, "<span class=\"key\" style=\"background:", StatusColour(s.status()),
                    "\"></span>", s.status());
  }
  html += "</p>\n";
  struct Figure {
    const OutcomesReport* report;
    std::string id, title;
  };
  const Figure figures[] = {
      {&by_region, "status-by-region", "Implementation status by regional group"},
      {&by_chapter, "status-by-chapter", "Implementation status by chapter"}};
  int number = 0;
  for (const Figure& f : figures) {
    absl::StrAppend(&html, "<section id=\"", f.id, "\">\n<h2>Figure ", ++number, ". ", f.title,
                    "</h2>\n", Chart(*f.report, f.id), FigureTable(*f.report), "</section>\n");
  }
  return html + "</body></html>\n";
}

}  // namespace irm::cli
