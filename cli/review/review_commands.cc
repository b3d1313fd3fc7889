#include "cli/review/review_commands.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/core/cli_status.h"
#include "cli/review/review_args.h"
#include "cli/review/review_calls.h"
#include "cli/review/review_text.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

using api::v1::ReviewCommand;

// Fills the step-specific part of the command from the flags.
using Fill = std::function<absl::Status(const ParsedArgs&, ReviewCommand&)>;

struct Step {
  std::string name;  // "schedule": registered as "review schedule"
  std::string summary;
  std::string details;
  std::vector<FlagSpec> flags;  // besides ReviewFlags()
  std::vector<std::string> examples;
  Fill fill;
};

// Steps that carry nothing but the common flags.
template <typename Message>
Fill Empty(Message* (ReviewCommand::*mutable_field)()) {
  return [mutable_field](const ParsedArgs&, ReviewCommand& command) {
    (command.*mutable_field)();
    return absl::OkStatus();
  };
}

std::vector<Step> Steps() {
  std::vector<Step> steps;
  steps.push_back({"schedule",
                   "Schedule a State's review in a review year (ReviewScheduled)",
                   "Normally done for every State at once by 'irm lots draw-years'.",
                   {{"year", "Y", "review year of the cycle, 1-5 (required)"}},
                   {"irm review schedule KEN --cycle 2 --year 1 --on 2015-11-06"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     IRM_ASSIGN_OR_RETURN(std::optional<int> year, IntFlag(args, "year", true));
                     command.mutable_schedule()->set_year(*year);
                     return absl::OkStatus();
                   }});
  steps.push_back({"assign-reviewers",
                   "Record two reviewing States drawn elsewhere (ReviewersDrawn)",
                   "Slot order: the first code is slot 1 (same regional group).",
                   {{"reviewers", "AAA,BBB", "the two reviewing States, slot 1 first (required)"}},
                   {"irm review assign-reviewers KEN --cycle 2 --reviewers UGA,FRA"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     IRM_ASSIGN_OR_RETURN(std::string list, RequiredFlag(args, "reviewers"));
                     for (absl::string_view code : absl::StrSplit(list, ',')) {
                       command.mutable_assign_reviewers()->add_reviewers(std::string(code));
                     }
                     return absl::OkStatus();
                   }});
  steps.push_back({"launch",
                   "Launch the review: its t0 (ReviewLaunched)",
                   "",
                   {},
                   {"irm review launch KEN --cycle 2 --on 2016-06-01"},
                   Empty(&ReviewCommand::mutable_launch)});
  steps.push_back(
      {"focal-point",
       "Record the State's focal point (FocalPointAppointed)",
       "",
       {{"name", "NAME", "the focal point's name (required)"},
        {"email", "E", "the focal point's e-mail"}},
       {"irm review focal-point KEN --cycle 2 --name 'Ana Ruiz' --email ana@example.org"},
       [](const ParsedArgs& args, ReviewCommand& command) {
         IRM_ASSIGN_OR_RETURN(std::string name, RequiredFlag(args, "name"));
         command.mutable_focal_point()->set_name(name);
         command.mutable_focal_point()->set_email(args.Value("email").value_or(""));
         return absl::OkStatus();
       }});
  steps.push_back({"kickoff",
                   "Record the kick-off call (KickoffCallHeld)",
                   "Without --checklist-due the checklist is due at t0 + 2 months.",
                   {{"checklist-due", "DATE", "when the self-assessment checklist is due"},
                    {"languages", "L,L", "working languages, e.g. en,fr"},
                    {"division", "TEXT",
                     "the division of labour between the two reviewing teams"}},
                   {"irm review kickoff KEN --cycle 2 --checklist-due 2016-08-01 --on 2016-07-01",
                    "irm review kickoff KEN --cycle 2 --division 'UGA: chapter II; FRA: "
                    "chapter V'"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     IRM_ASSIGN_OR_RETURN(std::string due, DateFlag(args, "checklist-due"));
                     command.mutable_kickoff()->set_checklist_due(due);
                     command.mutable_kickoff()->set_division(args.Value("division").value_or(""));
                     if (std::optional<std::string> languages = args.Value("languages")) {
                       for (absl::string_view language :
                            absl::StrSplit(*languages, ',', absl::SkipEmpty())) {
                         command.mutable_kickoff()->add_languages(std::string(language));
                       }
                     }
                     return absl::OkStatus();
                   }});
  steps.push_back({"checklist",
                   "Record the self-assessment checklist (ChecklistSubmitted)",
                   "",
                   {{"publish", "", "the State agrees to publish its checklist"}},
                   {"irm review checklist KEN --cycle 2 --publish --on 2016-08-03"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     command.mutable_checklist()->set_publish(args.Has("publish"));
                     return absl::OkStatus();
                   }});
  steps.push_back({"circulate-checklist",
                   "Record that the secretariat circulated the checklist's responses to the "
                   "reviewers (ChecklistCirculated)",
                   "Optional, after the submission (and translation), before the desk review; the\n"
                   "desk review's month then runs from the circulation. Secretariat only.",
                   {},
                   {"irm review circulate-checklist KEN --cycle 2 --on 2016-08-20"},
                   Empty(&ReviewCommand::mutable_circulate_checklist)});
  steps.push_back({"desk-review",
                   "Record the reviewers' desk review (DeskReviewCompleted)",
                   "",
                   {},
                   {"irm review desk-review KEN --cycle 2 --on 2016-09-01"},
                   Empty(&ReviewCommand::mutable_desk_review)});
  steps.push_back({"desk-review-call",
                   "Record the teleconference presenting the desk review's outcome "
                   "(DeskReviewTeleconferenceHeld)",
                   "Optional, once, after the desk review and before the approval. Secretariat "
                   "only.",
                   {},
                   {"irm review desk-review-call KEN --cycle 2 --on 2016-09-08"},
                   Empty(&ReviewCommand::mutable_desk_review_call)});
  steps.push_back({"visit",
                   "Record a country visit (CountryVisitHeld)",
                   "The step's date (--on) defaults to the first day of the visit.",
                   {{"from", "DATE", "first day of the visit (required)"},
                    {"to", "DATE", "last day of the visit (required)"}},
                   {"irm review visit KEN --cycle 2 --from 2016-10-03 --to 2016-10-07"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     IRM_ASSIGN_OR_RETURN(std::string from, DateFlag(args, "from"));
                     IRM_ASSIGN_OR_RETURN(std::string to, DateFlag(args, "to"));
                     if (from.empty() || to.empty()) {
                       return UsageError("--from DATE and --to DATE are required");
                     }
                     command.mutable_visit()->set_from(from);
                     command.mutable_visit()->set_to(to);
                     if (command.on().empty()) command.set_on(from);
                     return absl::OkStatus();
                   }});
  steps.push_back({"joint-meeting",
                   "Record a joint meeting in Vienna (JointMeetingHeld)",
                   "",
                   {},
                   {"irm review joint-meeting KEN --cycle 2 --on 2016-10-05"},
                   Empty(&ReviewCommand::mutable_joint_meeting)});
  steps.push_back({"no-dialogue",
                   "Record that no direct dialogue took place "
                   "(DirectDialogueDeclined)",
                   "",
                   {},
                   {"irm review no-dialogue KEN --cycle 2 --on 2016-10-05"},
                   Empty(&ReviewCommand::mutable_no_dialogue)});
  steps.push_back({"postpone-visit",
                   "Record that the country visit was postponed "
                   "(CountryVisitPostponed)",
                   "The review keeps its stage.",
                   {{"reason", "R", "why, in a few words"}},
                   {"irm review postpone-visit KEN --cycle 2 --reason 'elections'"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     command.mutable_postpone_visit()->set_reason(
                         args.Value("reason").value_or(""));
                     return absl::OkStatus();
                   }});
  steps.push_back({"draft",
                   "Record that the draft report was circulated "
                   "(DraftReportCirculated)",
                   "Again at stage draft_report: a changed draft, which voids the agreements "
                   "given to the earlier one.",
                   {},
                   {"irm review draft KEN --cycle 2 --on 2016-11-15"},
                   Empty(&ReviewCommand::mutable_draft)});
  steps.push_back(
      {"agree",
       "Record one party's agreement to the final report and executive summary (ReportAgreed)",
       "The State under review (--party state) and both reviewing States (--party\n"
       "reviewer:CODE) each agree to the current draft; approve-summary needs all three.\n"
       "Given by the party's own principal (the focal point, the State's reviewer), or\n"
       "recorded by the secretariat with --on-behalf-of naming that principal\n"
       "(focal_point:KEN for --party state, reviewer:FRA for --party reviewer:FRA).",
       {{"party", "state|reviewer:CODE", "whose agreement (required)"}},
       {"irm review agree KEN --cycle 2 --party state --on-behalf-of focal_point:KEN "
        "--on 2016-12-01",
        "irm review agree KEN --cycle 2 --party reviewer:FRA --on 2016-12-02"},
       [](const ParsedArgs& args, ReviewCommand& command) {
         IRM_ASSIGN_OR_RETURN(std::string party, RequiredFlag(args, "party"));
         command.mutable_agree()->set_party(party);
         return absl::OkStatus();
       }});
  steps.push_back({"approve-summary",
                   "Record the approval of the report and executive summary "
                   "(ExecutiveSummaryApproved)",
                   "Refused (FAILED_PRECONDITION, naming who) until the State under review and "
                   "both\nreviewing States agreed to the current draft (irm review agree).",
                   {},
                   {"irm review approve-summary KEN --cycle 2 --on 2017-02-01"},
                   Empty(&ReviewCommand::mutable_approve_summary)});
  steps.push_back({"issue-summary",
                   "Record that the executive summary was issued "
                   "(ExecutiveSummaryIssued)",
                   "--symbol is the summary's IRG document symbol: optional, but unique across\n"
                   "the log (a symbol already used is ALREADY_EXISTS, naming the review that\n"
                   "holds it). It must start with CAC/COSP/IRG/.",
                   {{"symbol", "CAC/COSP/IRG/...", "the IRG document symbol of the summary"}},
                   {"irm review issue-summary KEN --cycle 2 --on 2017-03-20",
                    "irm review issue-summary KEN --cycle 2 --symbol CAC/COSP/IRG/II/1/1/Add.3"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     command.mutable_issue_summary()->set_symbol(args.Value("symbol").value_or(""));
                     return absl::OkStatus();
                   }});
  steps.push_back({"publish",
                   "Record that the State publishes its full report "
                   "(FullReportPublished)",
                   "Allowed any time after approval.",
                   {},
                   {"irm review publish KEN --cycle 2"},
                   Empty(&ReviewCommand::mutable_publish)});
  steps.push_back({"decline-publication",
                   "Record that the State keeps its full report "
                   "confidential (PublicationDeclined)",
                   "Allowed any time after approval.",
                   {},
                   {"irm review decline-publication KEN --cycle 2"},
                   Empty(&ReviewCommand::mutable_decline_publication)});
  steps.push_back({"publish-checklist",
                   "Record that the State publishes its checklist "
                   "(ChecklistPublished)",
                   "Allowed any time after approval.",
                   {},
                   {"irm review publish-checklist KEN --cycle 2"},
                   Empty(&ReviewCommand::mutable_publish_checklist)});
  steps.push_back(
      {"redraw",
       "Request a new draw for one reviewer slot "
       "(ReviewerRedrawRequested, then ReviewersDrawn)",
       "A State may ask twice per review; beyond that only the secretariat may.",
       {{"slot", "1|2", "the slot to redraw (required)"},
        {"seed", "N", "seed of the draw (default: the server picks and records one)"},
        {"exception", "", "the secretariat grants a redraw beyond the State's two"}},
       {"irm review redraw KEN --cycle 2 --slot 2",
        "irm review redraw KEN --cycle 2 --slot 2 --exception",
        "irm review redraw KEN --cycle 2 --slot 1 --seed 7 --on-behalf-of focal_point:KEN"},
       [](const ParsedArgs& args, ReviewCommand& command) {
         IRM_ASSIGN_OR_RETURN(std::optional<int> slot, IntFlag(args, "slot", true));
         if (*slot != 1 && *slot != 2) return UsageError("--slot must be 1 or 2");
         command.mutable_redraw()->set_slot(*slot);
         command.mutable_redraw()->set_exception(args.Has("exception"));
         IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> seed, args.Uint64("seed"));
         if (seed.has_value()) command.mutable_redraw()->set_seed(*seed);
         return absl::OkStatus();
       }});
  steps.push_back({"withdraw",
                   "Record that a reviewing State withdrew; its slot reopens "
                   "(ReviewerWithdrew)",
                   "",
                   {{"reviewer", "AAA", "the withdrawing reviewer's code (required)"}},
                   {"irm review withdraw KEN --cycle 2 --reviewer FRA"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     IRM_ASSIGN_OR_RETURN(std::string reviewer, RequiredFlag(args, "reviewer"));
                     command.mutable_withdraw()->set_reviewer(reviewer);
                     return absl::OkStatus();
                   }});
  steps.push_back({"defer",
                   "Move the review to a later review year (ReviewDeferred)",
                   "Before the launch. As the IRG decided at its first session, the review's\n"
                   "reviewers are released (recorded in the event): 'irm lots draw' of the new\n"
                   "year draws them again. Deferrals recorded before this rule keep their reviewers.",
                   {{"year", "Y", "the new review year (required)"}},
                   {"irm review defer KEN --cycle 2 --year 3"},
                   [](const ParsedArgs& args, ReviewCommand& command) {
                     IRM_ASSIGN_OR_RETURN(std::optional<int> year, IntFlag(args, "year", true));
                     command.mutable_defer()->set_year(*year);
                     return absl::OkStatus();
                   }});
  return steps;
}

}  // namespace

absl::Status ExecuteAndPrint(CommandEnv& env, const ReviewCommand& command) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(api::v1::CommandResult result, client->Execute(command));
  if (env.json()) {
    env.out << codec::DumpCompact(CommandResultJson(result)) << "\n";
  } else {
    env.out << CommandResultLine(result) << "\n";
  }
  return absl::OkStatus();
}

void RegisterReviewCommands(CommandRegistry& registry) {
  for (Step& step : Steps()) {
    Fill fill = std::move(step.fill);
    std::string details = step.details;
    if (!details.empty()) details += "\n";
    details +=
        "Every step takes --on (business date, default today), --on-behalf-of ROLE:STATE and\n"
        "--expect-revision N (ABORTED if the review moved on meanwhile).";
    registry.Add(Command{
        absl::StrCat("review ", step.name),
        "STATE",
        step.summary,
        details,
        ReviewFlags(step.flags),
        step.examples,
        1,
        1,
        [fill](CommandEnv& env) -> absl::Status {
          IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, /*required=*/true));
          IRM_ASSIGN_OR_RETURN(ReviewCommand command,
                               BaseCommand(env.args, env.args.positional()[0], cycle));
          IRM_RETURN_IF_ERROR(fill(env.args, command));
          return ExecuteAndPrint(env, command);
        },
    });
  }
}

}  // namespace irm::cli
