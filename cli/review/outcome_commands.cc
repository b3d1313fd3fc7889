#include "cli/review/outcome_commands.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli/core/cli_status.h"
#include "cli/review/review_args.h"
#include "cli/review/review_commands.h"
#include "engine/common/status_macros.h"
#include "engine/review/outcomes.h"

namespace irm::cli {
namespace {

using api::v1::ReviewCommand;

absl::Status RunOutcomeAdd(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, true));
  IRM_ASSIGN_OR_RETURN(ReviewCommand command,
                       BaseCommand(env.args, env.args.positional()[0], cycle));
  api::v1::AddOutcome* outcome = command.mutable_add_outcome();
  IRM_ASSIGN_OR_RETURN(std::optional<int> article, IntFlag(env.args, "article", true));
  outcome->set_article(*article);
  IRM_ASSIGN_OR_RETURN(*outcome->mutable_kind(), RequiredFlag(env.args, "kind"));
  IRM_ASSIGN_OR_RETURN(*outcome->mutable_text(), RequiredFlag(env.args, "text"));
  for (const std::string& list : env.args.Values("needs")) {
    for (absl::string_view id : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
      IRM_RETURN_IF_ERROR(ParseNeedIdArg(id).status());
      outcome->add_needs(std::string(id));
    }
  }
  return ExecuteAndPrint(env, command);
}

absl::Status RunRecommendationStatus(CommandEnv& env) {
  const std::string& id = env.args.positional()[0];
  absl::StatusOr<review::OutcomeRef> ref = review::ParseOutcomeId(id);
  if (!ref.ok()) return UsageError(ref.status().message());
  if (ref->kind != review::kRecommendation) {
    return UsageError(absl::StrCat(id, " names a ", ref->kind,
                                   "; implementation status is followed for recommendations "
                                   "only (ids with R: KEN-2-R1)"));
  }
  if (ref->cycle != 1 && ref->cycle != 2) {
    return UsageError(absl::StrCat("malformed outcome id '", id, "': the cycle is 1 or 2"));
  }
  IRM_ASSIGN_OR_RETURN(ReviewCommand command, BaseCommand(env.args, ref->state, ref->cycle));
  if (command.on().empty()) {
    return UsageError("--on DATE is required: the day the status was observed, YYYY-MM-DD");
  }
  api::v1::ChangeRecommendationStatus* change = command.mutable_recommendation_status();
  change->set_outcome_id(id);
  IRM_ASSIGN_OR_RETURN(*change->mutable_status(), RequiredFlag(env.args, "status"));
  change->set_evidence(env.args.Value("evidence").value_or(""));
  return ExecuteAndPrint(env, command);
}

}  // namespace

void RegisterOutcomeCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "outcome add",
      "STATE",
      "Record an outcome of a review on one article (OutcomeRecorded)",
      "An observation, recommendation, good practice or challenge of the review on an article\n"
      "of its cycle (cycle 1: 15-50, cycle 2: 5-14 and 51-59). Recorded by the reviewing\n"
      "States' experts or the secretariat from the desk review (desk_review_done) until the\n"
      "executive summary is approved; one recorded after parties agreed to the draft voids\n"
      "their agreements, as a new draft does. --needs (challenges only) names the needs of the\n"
      "review the challenge gave rise to. Prints the outcome's id (KEN-2-R7: R recommendation,\n"
      "O observation, G good practice, C challenge). See docs/outcomes.md.",
      ReviewFlags({{"article", "A", "article of the Convention (required)"},
                   {"kind", "K", "observation, recommendation, good_practice or challenge (required)"},
                   {"text", "TEXT", "the outcome as the report words it (required)"},
                   {"needs", "ID,...", "challenges only: the needs it gave rise to (KEN-2-3,...)"}}),
      {"irm outcome add KEN --cycle 2 --article 9 --kind recommendation "
       "--text 'Publish procurement plans' --on 2017-03-01",
       "irm outcome add KEN --cycle 2 --article 52 --kind challenge --text 'No beneficial "
       "ownership register' --needs KEN-2-1,KEN-2-2 --json"},
      1,
      1,
      RunOutcomeAdd,
  });
  registry.Add(Command{
      "recommendation status",
      "ID",
      "Record a recommendation's implementation status (RecommendationStatusChanged)",
      "ID is a recommendation's id as printed by 'irm outcome add' (KEN-2-R7); the review\n"
      "follows from it. By the State's focal point or the secretariat, any time after the\n"
      "executive summary is issued; each change is kept, so the recommendation's history is\n"
      "the sequence of its changes. A recommendation with none counts as not_started.",
      ReviewFlags({{"status", "S",
                    "not_started, partially_implemented, implemented or no_longer_relevant "
                    "(required)"},
                   {"evidence", "TEXT", "what shows it (a law adopted, a report)"}},
                  /*with_cycle=*/false),
      {"irm recommendation status KEN-2-R7 --status implemented --on 2021-06-30 --evidence "
       "'Procurement law amended'",
       "irm recommendation status KEN-2-R1 --status partially_implemented --on 2020-01-15 --json"},
      1,
      1,
      RunRecommendationStatus,
  });
}

}  // namespace irm::cli
