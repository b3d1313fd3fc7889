// The HTML form of `irm report outcomes` (issue 22): one self-contained page (inline CSS and
// SVG, no scripts, fonts or external resources) with the implementation status of
// recommendations by regional group and by chapter, each a stacked SVG bar chart followed by
// the table behind it.
//
// Every chart is an <svg class="chart" data-figure="status-by-region|status-by-chapter">;
// each group's bar is made of <rect class="bar" data-key=GROUP data-status=STATUS
// data-count=N> segments, one per status with recommendations; tables carry
// class="figures". With a comparison, each table also shows the earlier count and rate.
// Pure functions; thread-safe.
#ifndef IRM_CLI_REPORTS_OUTCOMES_HTML_H_
#define IRM_CLI_REPORTS_OUTCOMES_HTML_H_

#include <string>

#include "irm/api/v1/report.pb.h"

namespace irm::cli {

// `by_region` and `by_chapter`: the same question (recommendations) grouped by region and
// by chapter.
std::string OutcomesHtmlPage(const api::v1::OutcomesReport& by_region,
                             const api::v1::OutcomesReport& by_chapter);

}  // namespace irm::cli

#endif  // IRM_CLI_REPORTS_OUTCOMES_HTML_H_
