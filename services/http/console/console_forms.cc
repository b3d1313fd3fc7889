#include "services/http/console/console_forms.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/access/authorize.h"
#include "engine/access/visibility.h"
#include "engine/review/agreements.h"
#include "engine/review/outcomes.h"
#include "engine/review/review_names.h"

namespace irm::services::http {
namespace {

template <size_t N>
std::vector<std::string> Strings(const absl::string_view (&values)[N]) {
  return std::vector<std::string>(std::begin(values), std::end(values));
}

const std::vector<CommandSpec>& Catalogue() {
  static const auto* specs = new std::vector<CommandSpec>{
      {"assign-reviewers", "assign_reviewers", "Assign reviewers",
       {{"reviewers", "Reviewing States (AAA,BBB; slot 1 first)", "text", true}}},
      {"launch", "launch", "Launch the review", {}},
      {"focal-point", "focal_point", "Record the focal point",
       {{"name", "Focal point's name", "text", true}, {"email", "E-mail", "email", false}}},
      {"kickoff", "kickoff", "Record the kick-off call",
       {{"checklist_due", "Checklist due", "date", false},
        {"languages", "Working languages (en,fr)", "text", false},
        {"division", "Division of labour", "text", false}}},
      {"checklist", "checklist", "Record the checklist",
       {{"publish", "The State agrees to publish its checklist", "checkbox", false}}},
      {"circulate-checklist", "circulate_checklist", "Record the checklist's circulation", {}},
      {"desk-review", "desk_review", "Record the desk review", {}},
      {"desk-review-call", "desk_review_call", "Record the desk-review call", {}},
      {"visit", "visit", "Record the country visit",
       {{"from", "First day", "date", true}, {"to", "Last day", "date", true}}},
      {"joint-meeting", "joint_meeting", "Record the joint meeting", {}},
      {"no-dialogue", "no_dialogue", "Record that no direct dialogue took place", {}},
      {"postpone-visit", "postpone_visit", "Record the visit's postponement",
       {{"reason", "Reason", "text", false}}},
      {"draft", "draft", "Record the draft report's circulation", {}},
      {"agree", "agree", "Record the agreement", {{"party", "Party", "text", true}}},
      {"approve-summary", "approve_summary", "Record the summary's approval", {}},
      {"issue-summary", "issue_summary", "Record the summary's issue",
       {{"symbol", "IRG document symbol (CAC/COSP/IRG/...)", "text", false}}},
      {"publish", "publish", "Record the full report's publication", {}},
      {"decline-publication", "decline_publication", "Record that publication is declined", {}},
      {"publish-checklist", "publish_checklist", "Record the checklist's publication", {}},
      {"redraw", "redraw", "Request a redraw",
       {{"slot", "Slot (1 or 2)", "number", true},
        {"exception", "Granted as an exception (secretariat)", "checkbox", false}}},
      {"withdraw", "withdraw", "Record a reviewer's withdrawal",
       {{"reviewer", "Withdrawing reviewer (AAA)", "text", true}}},
      {"defer", "defer", "Defer the review", {{"year", "New review year", "number", true}}},
      {"need-add", "add_need", "Record a technical-assistance need",
       {{"article", "Article", "number", true},
        {"category", "Category", "text", true},
        {"text", "Need", "text", true},
        {"priority", "Priority", "text", false}},
       /*records_only=*/true},
      // `irm need status NEED_ID --status S [--provider P]`: `id` is the need's id (one of
      // this review's, offered as a select).
      {"need-status", "need_status", "Change a need's status",
       {{"id", "Need", "select", true},
        {"status", "Status", "select", true, Strings(review::kNeedStatuses)},
        {"provider", "Provider (e.g. UNODC)", "text", false}},
       /*records_only=*/true},
      // Issue 22: `irm outcome add STATE --cycle C --article A --kind K --text T [--needs ..]`.
      {"outcome-add", "add_outcome", "Record an outcome",
       {{"article", "Article", "number", true},
        {"kind", "Kind", "select", true, Strings(review::kOutcomeKinds)},
        {"text", "Outcome, as the report words it", "text", true},
        {"needs", "Needs it gave rise to (challenges only; KEN-2-1,KEN-2-2)", "text", false}},
       /*records_only=*/true},
      // `irm recommendation status ID --status S --on DATE [--evidence TEXT]`.
      {"recommendation-status", "recommendation_status",
       "Record a recommendation's implementation status",
       {{"id", "Recommendation", "select", true},
        {"status", "Status", "select", true, Strings(review::kRecommendationStatuses)},
        {"evidence", "Evidence (a law adopted, a report)", "text", false}},
       /*records_only=*/true, /*on_required=*/true},
  };
  return *specs;
}

std::vector<std::string> RecommendationIds(const event::v1::ReviewState& r) {
  std::vector<std::string> ids;
  for (const event::v1::OutcomeState& o : r.outcomes()) {
    if (o.kind() == review::kRecommendation) ids.push_back(o.outcome_id());
  }
  return ids;
}

// The commands the stage allows next, in review_rules.cc's AllowedNext order.
std::vector<std::string> NextCommands(const event::v1::ReviewState& r) {
  const std::string& stage = r.stage();
  const bool call = r.desk_review_call_on().empty();
  std::vector<std::string> out;
  auto add = [&out](std::initializer_list<const char*> names) {
    for (const char* n : names) out.push_back(n);
  };
  if (stage == "scheduled") {
    add({"assign-reviewers", "defer"});
  } else if (stage == "reviewers_drawn") {
    add({"launch", "redraw", "withdraw", "defer"});
  } else if (stage == "launched") {
    add({"focal-point"});
  } else if (stage == "focal_point_appointed") {
    add({"kickoff"});
  } else if (stage == "kickoff_held") {
    add({"checklist"});
  } else if (stage == "checklist_submitted") {
    if (r.checklist_circulated_on().empty()) add({"circulate-checklist"});
    add({"desk-review"});
  } else if (stage == "desk_review_done") {
    if (call) add({"desk-review-call"});
    add({"visit", "joint-meeting", "no-dialogue", "postpone-visit"});
  } else if (stage == "dialogue_held") {
    if (call) add({"desk-review-call"});
    add({"draft"});
  } else if (stage == "draft_report") {
    if (call) add({"desk-review-call"});
    if (review::MissingAgreements(r).empty()) {
      add({"approve-summary"});
    } else {
      add({"agree"});
    }
    add({"draft"});
  } else if (stage == "summary_approved" || stage == "completed") {
    if (stage == "summary_approved") add({"issue-summary"});
    if (r.publication().empty()) add({"publish", "decline-publication"});
    if (!r.checklist_published()) add({"publish-checklist"});
  }
  const bool launched = !stage.empty() && stage != "scheduled" && stage != "reviewers_drawn";
  if (launched) add({"need-add"});
  if (launched && r.needs_size() > 0) add({"need-status"});
  // Outcomes: from the desk review until the executive summary is approved (outcome_rules.cc).
  const int index = review::StageIndex(stage);
  if (index >= review::StageIndex("desk_review_done") &&
      index < review::StageIndex("summary_approved")) {
    add({"outcome-add"});
  }
  // Recommendations' follow-up: once the executive summary is issued.
  if (!r.summary_issued_on().empty() && !RecommendationIds(r).empty()) {
    add({"recommendation-status"});
  }
  return out;
}

}  // namespace

const CommandSpec* FindCommand(const std::string& name) {
  for (const CommandSpec& spec : Catalogue()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string CommandNames() {
  std::vector<std::string> names;
  for (const CommandSpec& spec : Catalogue()) names.push_back(spec.name);
  return absl::StrJoin(names, ", ");
}

std::vector<CommandForm> FormsFor(const access::Principal& principal,
                                  const event::v1::ReviewState& review) {
  std::vector<CommandForm> forms;
  if (!principal.MayWrite()) return forms;
  const access::ReviewParties parties = access::PartiesOf(review);
  const bool secretariat = principal.role == access::Role::kSecretariat;
  for (const std::string& name : NextCommands(review)) {
    const CommandSpec* spec = FindCommand(name);
    if (spec == nullptr) continue;
    if (name == "agree") {
      // One form per party still to agree that this principal may record.
      for (const std::string& party : review::MissingAgreements(review)) {
        const std::string behalf = review::PartyPrincipal(party, review.state());
        const std::string on_behalf_of = secretariat ? behalf : "";
        if (!access::AuthorizeReviewCommand(principal, "agree", parties, on_behalf_of).ok() ||
            !access::AuthorizeAgreement(principal, review.state(), party, on_behalf_of).ok()) {
          continue;
        }
        CommandForm form{spec, {{"party", party}}, review::DescribeParty(party, review.state()),
                         false};
        if (secretariat) form.fixed.push_back({"on_behalf_of", behalf});
        forms.push_back(std::move(form));
      }
      continue;
    }
    if (!access::AuthorizeReviewCommand(principal, spec->proto_name, parties, "").ok()) continue;
    CommandForm form{spec, {}, "", secretariat};
    if (name == "need-status") {
      std::vector<std::string> ids;
      for (const event::v1::NeedState& need : review.needs()) ids.push_back(need.need_id());
      form.choices.push_back({"id", std::move(ids)});
    } else if (name == "recommendation-status") {
      form.choices.push_back({"id", RecommendationIds(review)});
    }
    forms.push_back(std::move(form));
  }
  return forms;
}

}  // namespace irm::services::http
