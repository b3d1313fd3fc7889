#include "cli/report_commands.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/cli_status.h"
#include "cli/needs_html.h"
#include "cli/needs_render.h"
#include "cli/review_args.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "irm/api/v1/report.grpc.pb.h"

namespace irm::cli {
namespace {

absl::StatusOr<api::v1::NeedsReport> CallNeedsReport(Connection& connection,
                                                     const api::v1::NeedsReportRequest& request) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, connection.Channel());
  std::unique_ptr<api::v1::ReportService::Stub> stub = api::v1::ReportService::NewStub(channel);
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/true);
  api::v1::NeedsReport report;
  IRM_RETURN_IF_ERROR(connection.FromGrpc(stub->GetNeedsReport(&context, request, &report)));
  return report;
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
}

}  // namespace irm::cli
