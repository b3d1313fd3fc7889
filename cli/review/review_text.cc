#include "cli/review/review_text.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/domain/reference_data.h"

namespace irm::cli {
namespace {

using api::v1::CommandResult;
using api::v1::ReviewStatus;
using event::v1::ReviewState;
using Json = nlohmann::ordered_json;

constexpr const char* kStages[] = {
    "scheduled",    "reviewers_drawn",     "launched",         "focal_point_appointed",
    "kickoff_held", "checklist_submitted", "desk_review_done", "dialogue_held",
    "draft_report", "summary_approved",    "completed"};

// ", next DeskReviewCompleted by 2016-09-01" (+ " OVERDUE"), or "" when completed.
std::string NextText(const ReviewStatus& status) {
  if (status.next_step().empty()) return "";
  std::string text = absl::StrCat(", next ", status.next_step());
  if (!status.next_deadline().empty()) absl::StrAppend(&text, " by ", status.next_deadline());
  if (status.overdue()) absl::StrAppend(&text, " OVERDUE");
  return text;
}

// "UGA, FRA"; "(open)" for an empty slot; "-" when none.
std::string ReviewersText(const ReviewState& review) {
  if (review.reviewers().empty()) return "-";
  std::vector<std::string> codes;
  for (const std::string& code : review.reviewers())
    codes.push_back(code.empty() ? "(open)" : code);
  return absl::StrJoin(codes, ",");
}

std::string DialogueText(const ReviewState& review) {
  if (review.dialogue() == "country_visit") {
    std::string text = "country visit";
    if (!review.visit_from().empty()) {
      absl::StrAppend(&text, " ", review.visit_from(), " to ", review.visit_to());
    }
    return text;
  }
  if (review.dialogue() == "joint_meeting") return "joint meeting";
  if (review.dialogue() == "none") return "none (direct dialogue declined)";
  if (review.dialogue().empty()) return "not yet";
  return review.dialogue();
}

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

std::string RatePercent(double rate) { return absl::StrFormat("%.1f %%", rate * 100); }

int StageRank(const std::string& stage) {
  auto it = std::find(std::begin(kStages), std::end(kStages), stage);
  return static_cast<int>(it - std::begin(kStages));
}

std::string CommandResultLine(const CommandResult& result) {
  std::string line = absl::StrCat(result.stream(), ": ", result.event_type());
  if (!result.need_id().empty()) absl::StrAppend(&line, " ", result.need_id());
  if (!result.outcome_id().empty()) absl::StrAppend(&line, " ", result.outcome_id());
  absl::StrAppend(&line, " recorded at position ", result.position(), " (revision ",
                  result.revision(), ")");
  if (result.has_status()) {
    absl::StrAppend(&line, "; stage ", result.status().review().stage(), NextText(result.status()));
  }
  return line;
}

Json CommandResultJson(const CommandResult& result) {
  Json json = Json::object();
  json["stream"] = result.stream();
  json["revision"] = result.revision();
  json["position"] = result.position();
  json["event_type"] = result.event_type();
  json["stage"] = result.status().review().stage();
  if (!result.need_id().empty()) json["need_id"] = result.need_id();
  if (!result.outcome_id().empty()) json["outcome_id"] = result.outcome_id();
  json["next_step"] = OrNull(result.status().next_step());
  json["next_deadline"] = OrNull(result.status().next_deadline());
  json["overdue"] = result.status().overdue();
  return json;
}

void PrintReviewCard(const ReviewStatus& status, std::ostream& out) {
  const ReviewState& review = status.review();
  std::string name = StateName(review.state());
  out << (name.empty() ? review.state() : absl::StrCat(name, " (", review.state(), ")"))
      << " - cycle " << review.cycle() << ", review year " << review.year() << ", region "
      << review.region() << "\n";
  auto row = [&out](absl::string_view label, const std::string& value) {
    out << "  " << label << std::string(13 - label.size(), ' ') << value << "\n";
  };
  row("stage", absl::StrCat(review.stage(), " (revision ", review.revision(), ", position ",
                            review.last_position(), ")"));
  std::string reviewers = ReviewersText(review);
  if (review.draw_round() > 0) absl::StrAppend(&reviewers, "; draw round ", review.draw_round());
  row("reviewers", reviewers);
  row("dialogue", DialogueText(review));
  if (review.visit_postponements() > 0) {
    row("postponed", absl::StrCat(review.visit_postponements(), " visit postponement(s)"));
  }
  if (!review.focal_point().empty()) row("focal point", review.focal_point());
  if (!review.kickoff_division().empty()) row("division", review.kickoff_division());
  std::vector<std::string> dates;
  auto date = [&dates](absl::string_view what, const std::string& value) {
    if (!value.empty()) dates.push_back(absl::StrCat(what, " ", value));
  };
  date("scheduled", review.scheduled_on());
  date("launched", review.launched_on());
  date("checklist due", review.checklist_due());
  date("checklist", review.checklist_on());
  date("circulated", review.checklist_circulated_on());
  date("desk review", review.desk_review_on());
  date("desk review call", review.desk_review_call_on());
  date("approved", review.summary_approved_on());
  date("issued", review.summary_issued_on());
  if (!review.summary_symbol().empty()) dates.push_back(absl::StrCat("symbol ", review.summary_symbol()));
  row("dates", dates.empty() ? "-" : absl::StrJoin(dates, ", "));
  if (review.stage() == "draft_report") {
    // Four eyes (issue 21): who agreed to the current draft, and who has not yet.
    std::vector<std::string> agreed;
    for (const event::v1::PartyAgreement& a : review.agreements()) {
      agreed.push_back(absl::StrCat(a.party(), " ", a.on(),
                                    a.on_behalf_of().empty() ? "" : " (recorded on behalf)"));
    }
    std::vector<std::string> missing;
    std::vector<std::string> parties = {"state"};
    for (const std::string& r : review.reviewers()) {
      if (!r.empty()) parties.push_back(absl::StrCat("reviewer:", r));
    }
    for (const std::string& party : parties) {
      bool found = false;
      for (const event::v1::PartyAgreement& a : review.agreements()) found |= a.party() == party;
      if (!found) missing.push_back(party);
    }
    row("agreements",
        absl::StrCat("draft ", review.drafts(), ": ",
                     agreed.empty() ? "none yet" : absl::StrJoin(agreed, ", "),
                     missing.empty() ? "; all three agreed"
                                     : absl::StrCat("; waiting for ", absl::StrJoin(missing, ", "))));
  }
  if (status.next_step().empty()) {
    row("next", "- (completed)");
  } else {
    std::string next = status.next_step();
    if (!status.next_deadline().empty()) absl::StrAppend(&next, " by ", status.next_deadline());
    if (status.overdue()) absl::StrAppend(&next, "  OVERDUE (as of ", status.as_of(), ")");
    row("next", next);
  }
  std::vector<std::string> published;
  if (review.checklist_published()) published.push_back("checklist published");
  if (!review.publication().empty())
    published.push_back(absl::StrCat("report ", review.publication()));
  if (!published.empty()) row("publication", absl::StrJoin(published, "; "));
  row("needs", absl::StrCat(status.identified_needs(), " identified, ", status.open_needs(), " open"));
  const api::v1::OutcomeCounts& outcomes = status.outcomes();
  if (review.outcomes_size() > 0) {
    row("outcomes", absl::StrCat(outcomes.recommendations(), " recommendations, ",
                                 outcomes.observations(), " observations, ",
                                 outcomes.good_practices(), " good practices, ",
                                 outcomes.challenges(), " challenges"));
  }
  if (outcomes.recommendations() > 0) {
    row("follow-up",
        absl::StrCat(outcomes.implemented(), " implemented, ", outcomes.partially_implemented(),
                     " partially, ", outcomes.not_started(), " not started, ",
                     outcomes.no_longer_relevant(), " no longer relevant; implementation rate ",
                     outcomes.has_rate() ? RatePercent(outcomes.implementation_rate()) : "-"));
  }
}

std::vector<std::string> ReviewTableHeader() {
  return {"STATE",     "CYCLE",    "REGION", "YEAR", "STAGE",
          "REVIEWERS", "DIALOGUE", "NEXT",   "DUE",  "OVERDUE"};
}

std::vector<std::string> ReviewTableRow(const ReviewStatus& status) {
  const ReviewState& review = status.review();
  return {review.state(),
          absl::StrCat(review.cycle()),
          review.region(),
          absl::StrCat(review.year()),
          review.stage(),
          ReviewersText(review),
          review.dialogue().empty() ? "-" : review.dialogue(),
          status.next_step().empty() ? "-" : status.next_step(),
          status.next_deadline().empty() ? "-" : status.next_deadline(),
          status.overdue() ? "OVERDUE" : ""};
}

}  // namespace irm::cli
