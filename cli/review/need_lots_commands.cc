#include "cli/review/need_lots_commands.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/core/cli_status.h"
#include "cli/review/review_args.h"
#include "cli/review/review_calls.h"
#include "cli/review/review_commands.h"
#include "cli/review/review_text.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

using api::v1::DrawResult;
using api::v1::ReviewCommand;

// Prints a draw: a line (or object) per review, then the seed.
void PrintDraw(CommandEnv& env, const DrawResult& draw, bool reviewers) {
  for (const api::v1::CommandResult& result : draw.results()) {
    const event::v1::ReviewState& review = result.status().review();
    if (env.json()) {
      nlohmann::ordered_json json = CommandResultJson(result);
      json["state"] = review.state();
      json["cycle"] = review.cycle();
      json["year"] = review.year();
      json["region"] = review.region();
      json["reviewers"] = nlohmann::ordered_json::array();
      for (const std::string& code : review.reviewers()) json["reviewers"].push_back(code);
      json["seed"] = draw.seed();
      env.out << codec::DumpCompact(json) << "\n";
    } else if (reviewers) {
      env.out << result.stream() << ": reviewers " << absl::StrJoin(review.reviewers(), ",") << " ("
              << review.region() << ", year " << review.year() << ", round " << review.draw_round()
              << ") at position " << result.position() << "\n";
    } else {
      env.out << result.stream() << ": year " << review.year() << " (" << review.region()
              << ") at position " << result.position() << "\n";
    }
  }
  if (!env.json()) {
    env.out << draw.results_size() << (draw.results_size() == 1 ? " review" : " reviews")
            << " drawn with seed " << draw.seed() << "\n";
  }
}

// --session N and --outside-session REASON (issue 21 section 3) into a draw request.
template <typename Request>
absl::Status SessionFlags(const ParsedArgs& args, Request& request) {
  IRM_ASSIGN_OR_RETURN(std::optional<int> session, IntFlag(args, "session", false));
  if (session.has_value()) request.set_session(*session);
  if (std::optional<std::string> reason = args.Value("outside-session")) {
    if (reason->empty()) {
      return UsageError("--outside-session needs a reason, e.g. --outside-session 'drawn by "
                        "the secretariat between sessions, as the IRG asked'");
    }
    request.set_outside_session_reason(*reason);
  }
  return absl::OkStatus();
}

absl::Status RunDrawYears(CommandEnv& env) {
  api::v1::DrawYearsRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, true));
  request.set_cycle(cycle);
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> seed, env.args.Uint64("seed"));
  if (seed.has_value()) request.set_seed(*seed);
  IRM_ASSIGN_OR_RETURN(*request.mutable_on(), DateFlag(env.args, "on"));
  IRM_RETURN_IF_ERROR(SessionFlags(env.args, request));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(DrawResult draw, client->DrawYears(request));
  PrintDraw(env, draw, /*reviewers=*/false);
  return absl::OkStatus();
}

absl::Status RunDrawReviewers(CommandEnv& env) {
  api::v1::DrawReviewersRequest request;
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, true));
  request.set_cycle(cycle);
  IRM_ASSIGN_OR_RETURN(std::optional<int> year, IntFlag(env.args, "year", true));
  request.set_year(*year);
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> seed, env.args.Uint64("seed"));
  if (seed.has_value()) request.set_seed(*seed);
  IRM_ASSIGN_OR_RETURN(*request.mutable_on(), DateFlag(env.args, "on"));
  IRM_RETURN_IF_ERROR(SessionFlags(env.args, request));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(DrawResult draw, client->DrawReviewers(request));
  PrintDraw(env, draw, /*reviewers=*/true);
  return absl::OkStatus();
}

absl::Status RunNeedAdd(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, true));
  IRM_ASSIGN_OR_RETURN(ReviewCommand command,
                       BaseCommand(env.args, env.args.positional()[0], cycle));
  api::v1::AddNeed* need = command.mutable_add_need();
  IRM_ASSIGN_OR_RETURN(std::optional<int> article, IntFlag(env.args, "article", true));
  need->set_article(*article);
  IRM_ASSIGN_OR_RETURN(*need->mutable_category(), RequiredFlag(env.args, "category"));
  IRM_ASSIGN_OR_RETURN(*need->mutable_text(), RequiredFlag(env.args, "text"));
  need->set_priority(env.args.Value("priority").value_or(""));
  return ExecuteAndPrint(env, command);
}

absl::Status RunNeedStatus(CommandEnv& env) {
  const std::string& need_id = env.args.positional()[0];
  IRM_ASSIGN_OR_RETURN(NeedIdParts parts, ParseNeedIdArg(need_id));
  IRM_ASSIGN_OR_RETURN(ReviewCommand command, BaseCommand(env.args, parts.state, parts.cycle));
  api::v1::ChangeNeedStatus* change = command.mutable_need_status();
  change->set_need_id(need_id);
  IRM_ASSIGN_OR_RETURN(*change->mutable_status(), RequiredFlag(env.args, "status"));
  change->set_provider(env.args.Value("provider").value_or(""));
  return ExecuteAndPrint(env, command);
}

}  // namespace

#define SESSION_DETAILS                                                                     \
  "--session N names the IRG session the draw takes place at (recorded with irm irg session\n" \
  "add); it is refused if the session is not recorded or --on is outside its days, unless\n" \
  "--outside-session REASON says why (the reason is recorded in the events). Without either\n" \
  "the draw is recorded at no session, as before sessions were kept."
#define SESSION_FLAG {"session", "N", "the IRG session the draw takes place at"}
#define OUTSIDE_FLAG \
  {"outside-session", "REASON", "why the draw is outside the session's days (or any session)"}

void RegisterNeedLotsCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "lots draw-years",
      "",
      "Draw the review year (1-4) of every State party not yet scheduled in a cycle",
      "Each regional group is spread evenly over the years. The seed is recorded in every\n"
      "ReviewScheduled event, so the draw can be redone; without --seed irmd picks one.\n"
      SESSION_DETAILS,
      {{"cycle", "C", "review cycle: 1 or 2 (required)"},
       {"seed", "N", "seed of the draw (default: chosen and recorded by irmd)"},
       {"on", "DATE", "date of the draw, YYYY-MM-DD (default: today)"},
       SESSION_FLAG,
       OUTSIDE_FLAG},
      {"irm lots draw-years --cycle 2 --seed 42 --on 2015-11-06",
       "irm lots draw-years --cycle 2 --session 6 --on 2015-11-06",
       "irm lots draw-years --cycle 1 --json"},
      0,
      0,
      RunDrawYears,
  });
  registry.Add(Command{
      "lots draw",
      "",
      "Draw two reviewing States for every review of a cycle year that has none",
      "Slot 1 comes from the State's regional group, slot 2 from any group; a State never\n"
      "reviews itself, two States do not review each other, and none reviews more than three.\n"
      "The seed and the candidate lists are recorded in each ReviewersDrawn event. Reviews\n"
      "deferred to the year whose reviewers were released are drawn again.\n"
      SESSION_DETAILS,
      {{"cycle", "C", "review cycle: 1 or 2 (required)"},
       {"year", "Y", "review year of the cycle (required)"},
       {"seed", "N", "seed of the draw (default: chosen and recorded by irmd)"},
       {"on", "DATE", "date of the draw, YYYY-MM-DD (default: today)"},
       SESSION_FLAG,
       OUTSIDE_FLAG},
      {"irm lots draw --cycle 2 --year 1 --seed 7 --on 2016-01-15",
       "irm lots draw --cycle 2 --year 2 --session 7 --on 2016-06-21",
       "irm lots draw --cycle 2 --year 2 --outside-session 'drawn in Vienna after session 7'",
       "irm lots draw --cycle 1 --year 3 --json"},
      0,
      0,
      RunDrawReviewers,
  });
  registry.Add(Command{
      "need add",
      "STATE",
      "Record a technical-assistance need identified in a review (NeedIdentified)",
      "The article must be under review in the cycle (cycle 1: 15-50, cycle 2: 5-14 and\n"
      "51-59), the category one of the cycle's list. Prints the new need's id (KEN-2-3).",
      ReviewFlags({{"article", "A", "article of the Convention (required)"},
                   {"category", "K", "need category, e.g. capacity_building (required)"},
                   {"text", "TEXT", "the need in the State's words (required)"},
                   {"priority", "P", "priority, e.g. high"}}),
      {"irm need add KEN --cycle 2 --article 9 --category capacity_building "
       "--text 'Training of procurement officials' --priority high",
       "irm need add KEN --cycle 2 --article 52 --category legislative_assistance --text "
       "'Draft beneficial ownership law' --json"},
      1,
      1,
      RunNeedAdd,
  });
  registry.Add(Command{
      "need status",
      "NEED_ID",
      "Change the status of a need (NeedStatusChanged)",
      "NEED_ID is STATE-CYCLE-NUMBER as printed by 'irm need add' (e.g. KEN-2-3); the\n"
      "review follows from it. --provider names who delivered the assistance (addressed).",
      ReviewFlags({{"status", "S", "current, anticipated, addressed or unmet (required)"},
                   {"provider", "P", "who delivered the assistance"}},
                  /*with_cycle=*/false),
      {"irm need status KEN-2-3 --status addressed --provider UNODC",
       "irm need status KEN-2-1 --status current --json"},
      1,
      1,
      RunNeedStatus,
  });
}

}  // namespace irm::cli
