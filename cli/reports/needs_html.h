// The HTML form of `irm report needs`: one self-contained page (inline CSS and SVG, no
// scripts, fonts or other external resources) with the figures of the secretariat's note
// on technical-assistance needs, each an SVG bar chart followed by the table behind it.
//
// `report` must hold the tables in the order of HtmlDimensions(cycle). Every chart is an
// <svg class="chart" data-figure="..."> whose bars are <rect class="bar"> with the count
// written beside each bar; tables carry class="figures". With a comparison, each table
// also shows the earlier count and the change.
//
// Pure functions; thread-safe.
#ifndef IRM_CLI_REPORTS_NEEDS_HTML_H_
#define IRM_CLI_REPORTS_NEEDS_HTML_H_

#include <string>
#include <vector>

#include "irm/api/v1/report.pb.h"

namespace irm::cli {

// The tables the page shows: needs by chapter, by category, by article (chapter II's only
// when the cycle reviews it), States with needs by region.
std::vector<api::v1::NeedsDimension> HtmlDimensions(int cycle);

std::string NeedsHtmlPage(const api::v1::NeedsReport& report);

// Shared with the outcomes page (outcomes_html.h): the pages' inline CSS.
const char* ReportPageStyle();

}  // namespace irm::cli

#endif  // IRM_CLI_REPORTS_NEEDS_HTML_H_
