#include "cli/admin/sample_commands.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cli/core/cli_status.h"
#include "cli/core/connection.h"
#include "cli/core/progress.h"
#include "cli/review/review_calls.h"
#include "cli/review/review_text.h"
#include "cli/admin/sample_plan.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "irm/api/v1/admin.grpc.pb.h"

namespace irm::cli {
namespace {

using api::v1::ReviewCommand;
using api::v1::ReviewStatus;

constexpr uint64_t kDefaultSeed = 2019;
constexpr int kCompletedRank = 10;
constexpr int kApprovedRank = 9;
constexpr int kDialogueRank = 7;

// "checklist", "add_need": the command's field name in ReviewCommand.
std::string StepName(const ReviewCommand& command) {
  const google::protobuf::FieldDescriptor* field =
      command.GetDescriptor()->FindFieldByNumber(command.command_case());
  return field == nullptr ? "command" : field->name();
}

class Loader {
 public:
  Loader(ReviewClient& client, CommandEnv& env, uint64_t seed)
      : client_(client), env_(env), seed_(seed), progress_(env.err, Progress::StderrIsTerminal()) {}

  // Records the sample's IRG sessions not recorded yet.
  absl::Status LoadSessions() {
    IRM_ASSIGN_OR_RETURN(api::v1::IrgSessions recorded,
                         client_.ListIrgSessions(api::v1::ListIrgSessionsRequest()));
    std::set<int> known;
    for (const auto& listing : recorded.sessions()) known.insert(listing.session().number());
    for (const SampleSession& session : SampleSessions()) {
      if (known.count(session.number)) continue;
      api::v1::AddIrgSessionRequest request;
      request.set_number(session.number);
      request.set_from(session.from);
      request.set_to(session.to);
      request.set_place("Vienna (synthetic)");
      IRM_RETURN_IF_ERROR(client_.AddIrgSession(request).status());
      ++events_;
    }
    return absl::OkStatus();
  }

  absl::Status LoadCycle(int cycle) {
    IRM_ASSIGN_OR_RETURN(std::vector<ReviewStatus> reviews, List(cycle));
    std::set<std::string> scheduled;
    for (const ReviewStatus& status : reviews) scheduled.insert(status.review().state());
    // The parties on the sample's last day that have no review yet. The year draw takes
    // the parties on its date; States that became parties later join in year 5, by a
    // second draw on the date of the year-5 reviewer draw and a last one on the last day.
    bool unscheduled = false;
    for (const domain::StateParty* party : domain::PartiesOn(kSampleLastDay)) {
      unscheduled |= !party->is_regional_organization && !scheduled.count(std::string(party->code));
    }
    if (unscheduled) {
      env_.err << "sample: cycle " << cycle << ": drawing review years (seed " << seed_ << ")\n";
      for (const std::string& on : {SampleDrawYearsDate(cycle), SampleDrawReviewersDate(cycle, 5),
                                    absl::FormatCivilTime(kSampleLastDay)}) {
        api::v1::DrawYearsRequest request;
        request.set_cycle(cycle);
        request.set_seed(seed_);
        request.set_on(on);
        request.set_session(SampleSessionOn(on));
        IRM_ASSIGN_OR_RETURN(api::v1::DrawResult draw, client_.DrawYears(request));
        events_ += draw.results_size();
      }
      IRM_ASSIGN_OR_RETURN(reviews, List(cycle));
    }
    std::set<int> years_to_draw;
    for (const ReviewStatus& status : reviews) {
      if (status.review().stage() == "scheduled") years_to_draw.insert(status.review().year());
    }
    for (int year : years_to_draw) {
      env_.err << "sample: cycle " << cycle << " year " << year << ": drawing reviewers\n";
      api::v1::DrawReviewersRequest request;
      request.set_cycle(cycle);
      request.set_year(year);
      request.set_seed(seed_ + static_cast<uint64_t>(cycle * 10 + year));
      request.set_on(SampleDrawReviewersDate(cycle, year));
      request.set_session(SampleSessionOn(request.on()));
      IRM_ASSIGN_OR_RETURN(api::v1::DrawResult draw, client_.DrawReviewers(request));
      events_ += draw.results_size();
    }
    if (!years_to_draw.empty()) {
      IRM_ASSIGN_OR_RETURN(reviews, List(cycle));
    }
    // Each summary's symbol: its place among the reviews of its cycle and year, by State.
    symbols_.clear();
    std::map<int, int> per_year;
    for (const ReviewStatus& status : reviews) {
      const int year = status.review().year();
      symbols_[status.review().state()] = SampleSummarySymbol(cycle, year, ++per_year[year]);
    }
    int before = events_;
    for (size_t i = 0; i < reviews.size(); ++i) {
      if (progress_.Due()) {
        progress_.Show(absl::StrCat("sample: cycle ", cycle, ": ", i, "/", reviews.size(),
                                    " reviews, ", events_ - before, " events"));
      }
      IRM_RETURN_IF_ERROR(Advance(reviews[i]));
    }
    progress_.Clear();
    env_.err << "sample: cycle " << cycle << ": " << reviews.size() << " reviews, "
             << events_ - before << " events appended\n";
    return absl::OkStatus();
  }

  int events() const { return events_; }

 private:
  absl::StatusOr<std::vector<ReviewStatus>> List(int cycle) {
    api::v1::ListReviewsRequest request;
    request.set_cycle(cycle);
    IRM_ASSIGN_OR_RETURN(api::v1::ListReviewsResponse response, client_.ListReviews(request));
    std::vector<ReviewStatus> reviews(response.reviews().begin(), response.reviews().end());
    std::sort(reviews.begin(), reviews.end(), [](const ReviewStatus& a, const ReviewStatus& b) {
      return a.review().state() < b.review().state();
    });
    return reviews;
  }

  // Sends `command` decided on `current`'s revision; `current` becomes the review after it.
  absl::Status Send(ReviewCommand command, ReviewStatus& current) {
    command.set_expected_revision(current.review().revision());
    absl::StatusOr<api::v1::CommandResult> result = client_.Execute(command);
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat("sample: review-", command.state(), "-", command.cycle(), ": ",
                       StepName(command), " on ", command.on(), ": ", result.status().message()));
    }
    ++events_;
    current = result->status();
    return absl::OkStatus();
  }

  // The postponements of the plan the review has not had yet.
  absl::Status SendPostponements(const SamplePlan& plan, ReviewStatus& current) {
    for (size_t p = current.review().visit_postponements(); p < plan.postponements.size(); ++p) {
      IRM_RETURN_IF_ERROR(Send(plan.postponements[p], current));
    }
    return absl::OkStatus();
  }

  // Issue 21's steps due at the review's current stage that it has not had yet: the
  // checklist's circulation, the desk review call, the agreements to the draft.
  absl::Status SendExtras(const SamplePlan& plan, ReviewStatus& current) {
    const event::v1::ReviewState& review = current.review();
    const std::string& stage = review.stage();
    if (stage == "checklist_submitted" && review.checklist_circulated_on().empty()) {
      for (const ReviewCommand& c : plan.circulation) IRM_RETURN_IF_ERROR(Send(c, current));
    }
    if ((stage == "desk_review_done" || stage == "dialogue_held" || stage == "draft_report") &&
        current.review().desk_review_call_on().empty()) {
      for (const ReviewCommand& c : plan.desk_review_call) IRM_RETURN_IF_ERROR(Send(c, current));
    }
    // Issue 22: the outcomes, between the desk review and the dialogue.
    if (current.review().stage() == "desk_review_done") {
      for (size_t n = current.review().outcomes_size(); n < plan.outcomes.size(); ++n) {
        IRM_RETURN_IF_ERROR(Send(plan.outcomes[n].add, current));
      }
    }
    if (current.review().stage() != "draft_report") return absl::OkStatus();
    for (const SampleAgreement& agreement : plan.agreements) {
      const event::v1::ReviewState& now = current.review();
      std::string party = "state";
      std::string principal = absl::StrCat("focal_point:", now.state());
      if (agreement.slot > 0) {
        if (now.reviewers_size() < agreement.slot || now.reviewers(agreement.slot - 1).empty()) {
          continue;
        }
        party = principal = absl::StrCat("reviewer:", now.reviewers(agreement.slot - 1));
      }
      bool agreed = false;
      for (const event::v1::PartyAgreement& a : now.agreements()) agreed |= a.party() == party;
      if (agreed) continue;
      ReviewCommand command = agreement.command;
      command.mutable_agree()->set_party(party);
      command.set_on_behalf_of(principal);
      IRM_RETURN_IF_ERROR(Send(command, current));
    }
    return absl::OkStatus();
  }

  // Sends the steps of the review's plan it has not reached yet.
  absl::Status Advance(ReviewStatus current) {
    const event::v1::ReviewState& review = current.review();
    int rank = StageRank(review.stage());
    // Not yet drawn (the draw found no candidates) or a stage this client does not know.
    if (rank < 1 || rank > kCompletedRank) return absl::OkStatus();
    SamplePlan plan =
        PlanSampleReview(seed_, review.cycle(), review.state(), review.year(), review.region());
    const int final_rank = static_cast<int>(plan.steps.size()) + 1;
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      int target = static_cast<int>(i) + 2;
      if (target <= rank) continue;
      IRM_RETURN_IF_ERROR(SendExtras(plan, current));
      if (target == kDialogueRank) IRM_RETURN_IF_ERROR(SendPostponements(plan, current));
      if (plan.steps[i].has_issue_summary()) {
        plan.steps[i].mutable_issue_summary()->set_symbol(symbols_[review.state()]);
      }
      IRM_RETURN_IF_ERROR(Send(plan.steps[i], current));
    }
    IRM_RETURN_IF_ERROR(SendExtras(plan, current));
    // A review stuck before its dialogue may have had its visit postponed.
    if (final_rank == kDialogueRank - 1 && StageRank(current.review().stage()) == final_rank) {
      IRM_RETURN_IF_ERROR(SendPostponements(plan, current));
    }
    if (StageRank(current.review().stage()) < kApprovedRank) return absl::OkStatus();
    for (const ReviewCommand& attribute : plan.attributes) {
      bool done = attribute.has_publish_checklist() ? current.review().checklist_published()
                                                    : !current.review().publication().empty();
      if (!done) IRM_RETURN_IF_ERROR(Send(attribute, current));
    }
    if (StageRank(current.review().stage()) < kCompletedRank) return absl::OkStatus();
    for (size_t n = current.review().needs_size(); n < plan.needs.size(); ++n) {
      IRM_RETURN_IF_ERROR(Send(plan.needs[n].add, current));
    }
    // Issue 22: the follow-up of the recommendations, those not followed up yet.
    for (size_t n = 0;
         n < plan.outcomes.size() && n < static_cast<size_t>(current.review().outcomes_size());
         ++n) {
      const std::string id = current.review().outcomes(n).outcome_id();
      for (size_t k = current.review().outcomes(n).history_size();
           k < plan.outcomes[n].statuses.size(); ++k) {
        ReviewCommand change = plan.outcomes[n].statuses[k];
        change.mutable_recommendation_status()->set_outcome_id(id);
        IRM_RETURN_IF_ERROR(Send(change, current));
      }
    }
    for (size_t n = 0;
         n < plan.needs.size() && n < static_cast<size_t>(current.review().needs_size()); ++n) {
      const event::v1::NeedState& need = current.review().needs(n);
      if (plan.needs[n].status.empty() || !need.status().empty()) continue;
      ReviewCommand change = plan.needs[n].change;
      change.mutable_need_status()->set_need_id(need.need_id());
      IRM_RETURN_IF_ERROR(Send(change, current));
    }
    return absl::OkStatus();
  }

  ReviewClient& client_;
  CommandEnv& env_;
  std::map<std::string, std::string> symbols_;  // of the cycle being loaded, by State
  uint64_t seed_;
  Progress progress_;
  int events_ = 0;
};

absl::StatusOr<std::vector<int>> CyclesFlag(const ParsedArgs& args) {
  std::string text = args.Value("cycles").value_or("1,2");
  std::vector<int> cycles;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    if (part != "1" && part != "2") {
      return UsageError(absl::StrCat("--cycles expects 1, 2 or 1,2, got '", text, "'"));
    }
    int cycle = part[0] - '0';
    if (std::find(cycles.begin(), cycles.end(), cycle) == cycles.end()) cycles.push_back(cycle);
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

// `irm admin check-deadlines`: irmd writes the deadlines the reviews missed.
absl::StatusOr<api::v1::CheckDeadlinesResponse> CheckDeadlines(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, env.connection.Channel());
  std::unique_ptr<api::v1::AdminService::Stub> stub = api::v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  env.connection.Prepare(context, /*unary=*/true);
  api::v1::CheckDeadlinesResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(
      stub->CheckDeadlines(&context, api::v1::CheckDeadlinesRequest(), &response)));
  return response;
}

absl::Status RunSampleLoad(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> seed, env.args.Uint64("seed"));
  IRM_ASSIGN_OR_RETURN(std::vector<int> cycles, CyclesFlag(env.args));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  env.err << "sample: loading the SYNTHETIC sample data set (invented, not real review data), "
             "seed "
          << seed.value_or(kDefaultSeed) << "\n";
  absl::Time start = absl::Now();
  Loader loader(*client, env, seed.value_or(kDefaultSeed));
  IRM_RETURN_IF_ERROR(loader.LoadSessions());
  for (int cycle : cycles) IRM_RETURN_IF_ERROR(loader.LoadCycle(cycle));
  // The deadlines the sample's reviews missed, as of the server's date: the same events
  // whenever the sample is loaded (its steps end on 2024-06-28), so the log is deterministic.
  IRM_ASSIGN_OR_RETURN(api::v1::CheckDeadlinesResponse deadlines, CheckDeadlines(env));
  env.err << "sample: deadline check as of " << deadlines.today() << ": "
          << deadlines.events_written() << " more DeadlinePassed events written\n";

  int reviews = 0;
  int needs = 0;
  for (int cycle : cycles) {
    api::v1::ListReviewsRequest request;
    request.set_cycle(cycle);
    IRM_ASSIGN_OR_RETURN(api::v1::ListReviewsResponse response, client->ListReviews(request));
    reviews += response.reviews_size();
    for (const ReviewStatus& status : response.reviews()) needs += status.review().needs_size();
  }
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (env.json()) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    json["synthetic"] = true;
    json["seed"] = seed.value_or(kDefaultSeed);
    json["reviews"] = reviews;
    json["events_appended"] = loader.events();
    json["needs"] = needs;
    json["seconds"] = seconds;
    env.out << codec::DumpCompact(json) << "\n";
  } else {
    env.out << "sample: " << reviews << " reviews, " << loader.events() << " events appended, "
            << needs << " needs (synthetic data, seed " << seed.value_or(kDefaultSeed) << ")\n";
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterSampleCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "sample load",
      "",
      "Load the SYNTHETIC sample data set: every State party, both cycles",
      "Invented data for demonstrations and tests, labelled as such: focal points are\n"
      "'Synthetic Focal Point KEN', need texts start with 'Synthetic:', IRG sessions meet in\n"
      "'Vienna (synthetic)' on invented dates. Everything goes through ReviewService\n"
      "commands: the sessions, the draws (each at its session), then for each review the\n"
      "steps of its\n"
      "plan (cycle 1 launched 2010-2014, nearly all completed; cycle 2 launched 2016-2019,\n"
      "about a third completed, many in progress, some not launched) and needs.\n"
      "Idempotent: a second load with the same seed appends nothing.",
      {{"seed", "N", "seed of the draws and of the plans (default 2019)"},
       {"cycles", "1,2", "which cycles to load (default 1,2)"}},
      {"irm sample load", "irm sample load --seed 7 --cycles 2", "irm sample load --json"},
      0,
      0,
      RunSampleLoad,
  });
}

}  // namespace irm::cli
