#include "cli/reports/report_commands.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/core/cli_status.h"
#include "cli/reports/needs_html.h"
#include "cli/reports/needs_render.h"
#include "cli/reports/outcomes_html.h"
#include "cli/reports/outcomes_render.h"
#include "cli/review/review_args.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "irm/api/v1/report.grpc.pb.h"

namespace irm::cli {
namespace {

// One unary ReportService call, `method` of the stub (GetNeedsReport, GetOutcomesReport).
template <typename Report, typename Request, typename Method>
absl::StatusOr<Report> CallReport(Connection& connection, const Request& request, Method method) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, connection.Channel());
  std::unique_ptr<api::v1::ReportService::Stub> stub = api::v1::ReportService::NewStub(channel);
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/true);
  Report report;
  IRM_RETURN_IF_ERROR(connection.FromGrpc(((*stub).*method)(&context, request, &report)));
  return report;
}

absl::StatusOr<api::v1::NeedsReport> CallNeedsReport(Connection& connection,
                                                     const api::v1::NeedsReportRequest& request) {
  return CallReport<api::v1::NeedsReport>(connection, request,
                                          &api::v1::ReportService::Stub::GetNeedsReport);
}

absl::Status RunReportNeeds(CommandEnv& env) {
  api::v1::NeedsReportRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, false));
  request.set_cycle(cycle);
  const std::string by = env.args.Value("by").value_or("chapter");
  if (by != "chapter" && by != "article" && by != "category" && by != "region" && by != "state") {
    return UsageError(absl::StrCat("--by ", by,
                                   " is not a dimension: use chapter, article, category, "
                                   "region or state"));
  }
  const std::string format = env.args.Value("format").value_or(env.json() ? "json" : "table");
  if (format != "table" && format != "json" && format != "csv" && format != "html") {
    return UsageError(absl::StrCat("--format ", format, " is not one of table, json, csv, html"));
  }
  IRM_ASSIGN_OR_RETURN(*request.mutable_as_of(), DateFlag(env.args, "as-of"));
  IRM_ASSIGN_OR_RETURN(*request.mutable_compare(), DateFlag(env.args, "compare"));
  if (format == "html") {
    for (api::v1::NeedsDimension& d : HtmlDimensions(cycle)) *request.add_dimensions() = d;
  } else {
    api::v1::NeedsDimension* dimension = request.add_dimensions();
    dimension->set_by(by);
    dimension->set_chapter(env.args.Value("chapter").value_or(""));
  }
  IRM_ASSIGN_OR_RETURN(api::v1::NeedsReport report, CallNeedsReport(env.connection, request));
  if (format == "json") {
    env.out << codec::DumpCompact(NeedsReportJson(report, 0)) << "\n";
  } else if (format == "csv") {
    PrintNeedsCsv(report, 0, env.out);
  } else if (format == "html") {
    env.out << NeedsHtmlPage(report);
  } else {
    PrintNeedsTable(report, 0, env.out);
  }
  return absl::OkStatus();
}

absl::StatusOr<api::v1::OutcomesReport> CallOutcomesReport(
    Connection& connection, const api::v1::OutcomesReportRequest& request) {
  return CallReport<api::v1::OutcomesReport>(connection, request,
                                             &api::v1::ReportService::Stub::GetOutcomesReport);
}

absl::Status RunReportOutcomes(CommandEnv& env) {
  api::v1::OutcomesReportRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, false));
  request.set_cycle(cycle);
  request.set_by(env.args.Value("by").value_or("chapter"));
  request.set_kind(env.args.Value("kind").value_or(""));
  const std::string format = env.args.Value("format").value_or(env.json() ? "json" : "table");
  if (format != "table" && format != "json" && format != "csv" && format != "html") {
    return UsageError(absl::StrCat("--format ", format, " is not one of table, json, csv, html"));
  }
  IRM_ASSIGN_OR_RETURN(*request.mutable_as_of(), DateFlag(env.args, "as-of"));
  IRM_ASSIGN_OR_RETURN(*request.mutable_compare(), DateFlag(env.args, "compare"));
  if (format == "html") {
    // The page's charts: implementation status by region and by chapter.
    request.set_kind("recommendation");
    request.set_by("region");
    IRM_ASSIGN_OR_RETURN(api::v1::OutcomesReport by_region,
                         CallOutcomesReport(env.connection, request));
    request.set_by("chapter");
    IRM_ASSIGN_OR_RETURN(api::v1::OutcomesReport by_chapter,
                         CallOutcomesReport(env.connection, request));
    env.out << OutcomesHtmlPage(by_region, by_chapter);
    return absl::OkStatus();
  }
  IRM_ASSIGN_OR_RETURN(api::v1::OutcomesReport report, CallOutcomesReport(env.connection, request));
  if (format == "json") {
    env.out << codec::DumpCompact(OutcomesReportJson(report)) << "\n";
  } else if (format == "csv") {
    PrintOutcomesCsv(report, env.out);
  } else {
    PrintOutcomesTable(report, env.out);
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterReportCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "report needs",
      "",
      "Tables of technical-assistance needs: by chapter, article, category, region or State",
      "Counts individual needs and distinct States with at least one need, per group, with\n"
      "each group's status breakdown (identified, current, anticipated, addressed, unmet).\n"
      "A need counts from its business date (need add --on); a status change never removes\n"
      "it from the counts. --as-of DATE gives the tables on that day (status as of then);\n"
      "--compare DATE adds the earlier figures and the change. --format html writes one\n"
      "self-contained page (inline SVG charts, no scripts) with the secretariat's figures:\n"
      "needs by chapter, by category, chapter II needs by article, States by region.\n"
      "Answered from irmd's needs projection.",
      {{"cycle", "C", "1 or 2 (default: both)"},
       {"by", "DIM", "chapter (default), article, category, region or state"},
       {"chapter", "CH", "only needs of chapter II, III, IV or V"},
       {"format", "F", "table (default; json with --json), json, csv or html"},
       {"as-of", "DATE", "the tables as they stood on DATE (YYYY-MM-DD)"},
       {"compare", "DATE", "also show the figures on an earlier DATE and the change"}},
      {"irm report needs --cycle 2", "irm report needs --cycle 2 --by category --format json",
       "irm report needs --cycle 2 --by article --chapter II",
       "irm report needs --cycle 2 --as-of 2019-09-30 --compare 2018-09-30",
       "irm report needs --cycle 2 --format html > needs.html",
       "irm report needs --by region --format csv"},
      0,
      0,
      RunReportNeeds});
  registry.Add(Command{
      "report outcomes",
      "",
      "Review outcomes (recommendations, observations, good practices, challenges) and the "
      "implementation of recommendations",
      "Counts the reviews' outcomes and distinct States per group, with the group's\n"
      "recommendations per implementation status (a recommendation without a status change\n"
      "is not_started) and its implementation rate: implemented plus half of partially\n"
      "implemented, over the recommendations not marked no_longer_relevant. --by status\n"
      "counts recommendations only. An outcome counts from its business date; --as-of DATE\n"
      "gives the table on that day (statuses as of then), --compare DATE adds an earlier\n"
      "day's figures and the change. --format html writes one self-contained page with the\n"
      "implementation status of recommendations by region and by chapter. Outcomes of a\n"
      "review are counted for observers once its executive summary is issued. See\n"
      "docs/outcomes.md.",
      {{"cycle", "C", "1 or 2 (default: both)"},
       {"kind", "K", "only observation, recommendation, good_practice or challenge"},
       {"by", "DIM", "chapter (default), article, region, state, kind or status"},
       {"format", "F", "table (default; json with --json), json, csv or html"},
       {"as-of", "DATE", "the table as it stood on DATE (YYYY-MM-DD)"},
       {"compare", "DATE", "also show the figures on an earlier DATE and the change"}},
      {"irm report outcomes --cycle 2", "irm report outcomes --cycle 2 --by status",
       "irm report outcomes --cycle 2 --kind recommendation --by region --format json",
       "irm report outcomes --cycle 2 --by kind --as-of 2021-12-31 --compare 2019-12-31",
       "irm report outcomes --cycle 2 --format html > outcomes.html"},
      0,
      0,
      RunReportOutcomes});
}

}  // namespace irm::cli
