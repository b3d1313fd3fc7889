#include "cli/review/question_commands.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/core/cli_status.h"
#include "cli/audit/history_commands.h"
#include "cli/review/review_args.h"
#include "cli/review/review_calls.h"
#include "cli/review/review_text.h"
#include "cli/core/text_table.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"

namespace irm::cli {
namespace {

using api::v1::ReviewStatus;
using Json = nlohmann::ordered_json;

void PrintReviews(CommandEnv& env, const std::vector<ReviewStatus>& reviews) {
  for (size_t i = 0; i < reviews.size(); ++i) {
    if (env.json()) {
      env.out << codec::DumpCompact(ReviewStatusJson(reviews[i])) << "\n";
    } else {
      if (i > 0) env.out << "\n";
      PrintReviewCard(reviews[i], env.out);
    }
  }
}

absl::Status RunStatus(CommandEnv& env) {
  const std::string& state = env.args.positional()[0];
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, false));
  IRM_ASSIGN_OR_RETURN(std::string as_of, AsOfFlag(env.args, /*allow_position=*/true));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  std::vector<ReviewStatus> reviews;
  absl::Status not_found;
  for (int c : cycle == 0 ? std::vector<int>{1, 2} : std::vector<int>{cycle}) {
    api::v1::GetReviewRequest request;
    request.set_state(state);
    request.set_cycle(c);
    request.set_as_of(as_of);
    request.set_known_at(env.args.Value("known-at").value_or(""));
    absl::StatusOr<ReviewStatus> status = client->GetReview(request);
    if (status.ok()) {
      reviews.push_back(*std::move(status));
    } else if (absl::IsNotFound(status.status()) && cycle == 0) {
      not_found = status.status();
    } else {
      return status.status();
    }
  }
  if (reviews.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no review of ", state, " in cycle 1 or 2 (", not_found.message(), ")"));
  }
  const std::string known_at = env.args.Value("known-at").value_or("");
  if (!env.json() && (!as_of.empty() || !known_at.empty())) {
    env.out << "As it stood" << (as_of.empty() ? "" : absl::StrCat(" as of ", as_of))
            << (known_at.empty() ? "" : absl::StrCat(", as recorded by ", known_at))
            << "; overdue judged on " << reviews[0].as_of() << "\n\n";
  }
  PrintReviews(env, reviews);
  return absl::OkStatus();
}

absl::Status RunReviews(CommandEnv& env) {
  api::v1::ListReviewsRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, false));
  request.set_cycle(cycle);
  request.set_stage(env.args.Value("stage").value_or(""));
  request.set_region(env.args.Value("region").value_or(""));
  request.set_state(env.args.Value("state").value_or(""));
  IRM_ASSIGN_OR_RETURN(std::optional<int> year, IntFlag(env.args, "year", false));
  request.set_year(year.value_or(0));
  request.set_overdue_only(env.args.Has("overdue"));
  IRM_ASSIGN_OR_RETURN(*request.mutable_as_of(), AsOfFlag(env.args, /*allow_position=*/false));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(api::v1::ListReviewsResponse response, client->ListReviews(request));
  if (env.json()) {
    for (const ReviewStatus& review : response.reviews()) {
      env.out << codec::DumpCompact(ReviewStatusJson(review)) << "\n";
    }
    return absl::OkStatus();
  }
  TextTable table(ReviewTableHeader());
  table.AlignRight(1);
  table.AlignRight(3);
  int overdue = 0;
  std::string as_of;
  for (const ReviewStatus& review : response.reviews()) {
    table.AddRow(ReviewTableRow(review));
    overdue += review.overdue() ? 1 : 0;
    as_of = review.as_of();
  }
  if (table.rows() > 0) table.Print(env.out);
  env.out << table.rows() << (table.rows() == 1 ? " review" : " reviews") << ", " << overdue
          << " overdue" << (as_of.empty() ? "" : absl::StrCat(" as of ", as_of)) << "\n";
  return absl::OkStatus();
}

// The UN's short names of the regional groups keep the pipeline table narrow.
std::string RegionColumn(const std::string& region) {
  if (region == "african") return "AFRICAN";
  if (region == "asia_pacific") return "ASIA-PAC";
  if (region == "eastern_european") return "EEG";
  if (region == "latin_american_caribbean") return "GRULAC";
  if (region == "western_european_other") return "WEOG";
  return region;
}

absl::Status RunPipeline(CommandEnv& env) {
  api::v1::GetPipelineRequest request;
  IRM_ASSIGN_OR_RETURN(*request.mutable_as_of(), AsOfFlag(env.args, /*allow_position=*/false));
  IRM_ASSIGN_OR_RETURN(int only_cycle, CycleFlag(env.args, false));
  std::string by = env.args.Value("by").value_or("region");
  if (by != "region" && by != "year") return UsageError("--by must be region or year");
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(api::v1::Pipeline pipeline, client->GetPipeline(request));
  if (env.json()) {
    for (const api::v1::PipelineRow& row : pipeline.rows()) {
      if (only_cycle != 0 && row.cycle() != only_cycle) continue;
      Json json = Json::object();
      json["cycle"] = row.cycle();
      json["region"] = row.region();
      json["year"] = row.year();
      json["stage"] = row.stage();
      json["reviews"] = row.reviews();
      json["overdue"] = row.overdue();
      env.out << codec::DumpCompact(json) << "\n";
    }
    return absl::OkStatus();
  }
  // cycle -> (stage rank, stage) -> column -> reviews; plus totals and overdue per stage.
  using StageKey = std::pair<int, std::string>;
  std::map<int, std::map<StageKey, std::map<std::string, int>>> counts;
  std::map<int, std::map<StageKey, int>> overdue;
  std::map<int, std::map<std::string, int>> columns;
  for (const api::v1::PipelineRow& row : pipeline.rows()) {
    if (only_cycle != 0 && row.cycle() != only_cycle) continue;
    std::string column =
        by == "region" ? RegionColumn(row.region()) : absl::StrCat("year ", row.year());
    StageKey stage{StageRank(row.stage()), row.stage()};
    counts[row.cycle()][stage][column] += row.reviews();
    overdue[row.cycle()][stage] += row.overdue();
    columns[row.cycle()][column] += row.reviews();
  }
  if (counts.empty()) env.out << "no reviews\n";
  for (const auto& [cycle, stages] : counts) {
    if (cycle != counts.begin()->first) env.out << "\n";
    env.out << "cycle " << cycle
            << (by == "region" ? " (EEG: eastern_european, GRULAC: "
                                 "latin_american_caribbean, WEOG: "
                                 "western_european_other)"
                               : "")
            << "\n";
    std::vector<std::string> header = {"STAGE"};
    for (const auto& [column, unused] : columns[cycle]) header.push_back(column);
    header.push_back("TOTAL");
    header.push_back("OVERDUE");
    TextTable table(header);
    for (size_t i = 1; i < header.size(); ++i) table.AlignRight(i);
    std::map<std::string, int> total_by_column;
    int total = 0;
    int total_overdue = 0;
    for (const auto& [stage, by_column] : stages) {
      std::vector<std::string> cells = {stage.second};
      int sum = 0;
      for (const auto& [column, unused] : columns[cycle]) {
        auto it = by_column.find(column);
        int n = it == by_column.end() ? 0 : it->second;
        cells.push_back(n == 0 ? "." : absl::StrCat(n));
        sum += n;
      }
      cells.push_back(absl::StrCat(sum));
      cells.push_back(absl::StrCat(overdue[cycle][stage]));
      total += sum;
      total_overdue += overdue[cycle][stage];
      table.AddRow(std::move(cells));
    }
    std::vector<std::string> totals = {"total"};
    for (const auto& [column, n] : columns[cycle]) totals.push_back(absl::StrCat(n));
    totals.push_back(absl::StrCat(total));
    totals.push_back(absl::StrCat(total_overdue));
    table.AddRow(std::move(totals));
    table.Print(env.out);
  }
  return absl::OkStatus();
}

Json NeedJson(const event::v1::NeedState& need) {
  Json json = Json::object();
  json["need_id"] = need.need_id();
  json["article"] = need.article();
  json["chapter"] = need.chapter();
  json["category"] = need.category();
  json["text"] = need.text();
  json["priority"] = need.priority();
  json["status"] = need.status();
  json["provider"] = need.provider();
  json["identified_on"] = need.identified_on();
  return json;
}

absl::Status RunProfile(CommandEnv& env) {
  api::v1::GetCountryProfileRequest request;
  request.set_state(env.args.positional()[0]);
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(api::v1::CountryProfile profile, client->GetCountryProfile(request));
  if (env.json()) {
    Json json = Json::object();
    json["state"] = profile.state();
    json["name"] = profile.name();
    json["region"] = profile.region();
    json["reviews"] = Json::array();
    for (const ReviewStatus& review : profile.reviews()) {
      json["reviews"].push_back(ReviewStatusJson(review));
    }
    json["open_needs"] = Json::array();
    for (const auto& need : profile.open_needs()) json["open_needs"].push_back(NeedJson(need));
    env.out << codec::DumpCompact(json) << "\n";
    return absl::OkStatus();
  }
  env.out << profile.name() << " (" << profile.state() << "), region " << profile.region()
          << "\n\n";
  if (profile.reviews().empty()) env.out << "no review yet\n\n";
  for (const ReviewStatus& review : profile.reviews()) {
    PrintReviewCard(review, env.out);
    env.out << "\n";
  }
  env.out << profile.open_needs_size() << " open technical-assistance need"
          << (profile.open_needs_size() == 1 ? "" : "s") << "\n";
  if (profile.open_needs().empty()) return absl::OkStatus();
  TextTable table({"NEED", "ARTICLE", "CHAPTER", "CATEGORY", "STATUS", "TEXT"});
  table.AlignRight(1);
  for (const auto& need : profile.open_needs()) {
    table.AddRow({need.need_id(), absl::StrCat(need.article()), need.chapter(), need.category(),
                  need.status().empty() ? "identified" : need.status(), need.text()});
  }
  table.Print(env.out);
  return absl::OkStatus();
}

}  // namespace

void RegisterQuestionCommands(CommandRegistry& registry) {
  RegisterHistoryCommands(registry);
  registry.Add(Command{
      "status",
      "STATE",
      "Show where a State's review stands (both cycles without --cycle)",
      "--as-of POSITION folds the events at log positions up to POSITION; --as-of DATE the\n"
      "events whose business date is on or before DATE, as known now; --known-at only the\n"
      "events the log had recorded by then. Overdue is judged on the as-of date (for a\n"
      "position: the business date reached by then). See docs/audit-history.md.",
      {{"cycle", "C", "only the review of cycle 1 or 2"},
       {"as-of", "POSITION|DATE", "the review as of a log position or a business date"},
       {"known-at", "TIME|DATE", "as the log had recorded it by then (RFC 3339 or day)"}},
      {"irm status KEN", "irm status KEN --cycle 2 --json", "irm status KEN --cycle 2 --as-of 41",
       "irm status KEN --cycle 1 --as-of 2015-06-30",
       "irm status KEN --cycle 2 --known-at 2026-11-30T03:10:00Z"},
      1,
      1,
      RunStatus});
  registry.Add(
      Command{"reviews",
              "",
              "List reviews with their stage, next step and deadline",
              "Filters combine. --overdue keeps reviews whose next step's indicative deadline has\n"
              "passed (as of today, or --as-of DATE). With --as-of every review is shown as it\n"
              "stood at the end of that business date (steps dated on or before it, as recorded\n"
              "now); reviews with no step by then are left out.",
              {{"cycle", "C", "1 or 2 (default: both)"},
               {"stage", "S", "e.g. checklist_submitted"},
               {"region", "R",
                "african, asia_pacific, eastern_european, latin_american_caribbean, "
                "western_european_other"},
               {"year", "Y", "review year of the cycle"},
               {"state", "S", "only this State"},
               {"overdue", "", "only overdue reviews"},
               {"as-of", "DATE", "the reviews as they stood at the end of this business date"}},
              {"irm reviews --cycle 2 --overdue", "irm reviews --region african --stage completed",
               "irm reviews --cycle 2 --overdue --as-of 2024-06-28",
               "irm reviews --cycle 2 --year 1 --json"},
              0,
              0,
              RunReviews});
  registry.Add(
      Command{"pipeline",
              "",
              "Count reviews per stage, cycle by cycle",
              "One table per cycle: a row per stage, a column per regional group (or review year\n"
              "with --by year), the total and how many of them are overdue. With --as-of, the\n"
              "pipeline as it stood at the end of that business date.",
              {{"cycle", "C", "only cycle 1 or 2"},
               {"by", "region|year", "columns: regional groups (default) or review years"},
               {"as-of", "DATE", "the pipeline as it stood at the end of this business date"}},
              {"irm pipeline", "irm pipeline --cycle 2 --by year", "irm pipeline --as-of 2020-12-31",
               "irm pipeline --json"},
              0,
              0,
              RunPipeline});
  registry.Add(Command{"profile",
                       "STATE",
                       "Show a State's country profile: both reviews and its open needs",
                       "Open needs are those not addressed, from both cycles.",
                       {},
                       {"irm profile KEN", "irm profile KEN --json"},
                       1,
                       1,
                       RunProfile});
}

}  // namespace irm::cli
