#include "api_json/review_json.h"

#include "engine/domain/reference_data.h"

namespace irm::api_json {
namespace {

using api::v1::ReviewStatus;
using event::v1::ReviewState;
using Json = nlohmann::ordered_json;

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

std::string StateName(const std::string& code) {
  absl::StatusOr<const domain::StateParty*> party = domain::FindStateParty(code);
  return party.ok() ? std::string((*party)->name) : "";
}

Json ReviewStatusJson(const ReviewStatus& status) {
  const ReviewState& review = status.review();
  Json json = Json::object();
  json["state"] = review.state();
  json["name"] = StateName(review.state());
  json["cycle"] = review.cycle();
  json["region"] = review.region();
  json["year"] = review.year();
  json["stage"] = review.stage();
  json["reviewers"] = Json::array();
  for (const std::string& code : review.reviewers()) json["reviewers"].push_back(code);
  json["draw_round"] = review.draw_round();
  json["dialogue"] = OrNull(review.dialogue());
  json["overdue"] = status.overdue();
  json["next_step"] = OrNull(status.next_step());
  json["next_deadline"] = OrNull(status.next_deadline());
  json["as_of"] = status.as_of();
  json["needs"] = status.identified_needs();  // counted before any redaction
  json["open_needs"] = status.open_needs();
  json["focal_point"] = OrNull(review.focal_point());
  json["scheduled_on"] = OrNull(review.scheduled_on());
  json["launched_on"] = OrNull(review.launched_on());
  json["checklist_due"] = OrNull(review.checklist_due());
  json["checklist_on"] = OrNull(review.checklist_on());
  json["visit_from"] = OrNull(review.visit_from());
  json["visit_to"] = OrNull(review.visit_to());
  json["visit_postponements"] = review.visit_postponements();
  json["summary_approved_on"] = OrNull(review.summary_approved_on());
  json["summary_issued_on"] = OrNull(review.summary_issued_on());
  json["summary_symbol"] = OrNull(review.summary_symbol());  // issue 21: IRG document symbol
  json["last_step_on"] = OrNull(review.last_step_on());
  json["checklist_published"] = review.checklist_published();
  json["publication"] = OrNull(review.publication());
  json["revision"] = review.revision();
  json["last_position"] = review.last_position();
  // Issue 21, sections 4-5.
  json["division"] = OrNull(review.kickoff_division());
  json["checklist_circulated_on"] = OrNull(review.checklist_circulated_on());
  json["desk_review_on"] = OrNull(review.desk_review_on());
  json["desk_review_call_on"] = OrNull(review.desk_review_call_on());
  json["drafts"] = review.drafts();
  json["agreements"] = Json::array();
  for (const auto& agreement : review.agreements()) {
    Json a = Json::object();
    a["party"] = agreement.party();
    a["on"] = agreement.on();
    a["on_behalf_of"] = OrNull(agreement.on_behalf_of());
    json["agreements"].push_back(std::move(a));
  }
  // Issue 22: the outcomes the caller may see, counted per kind and status, and each one.
  const api::v1::OutcomeCounts& counts = status.outcomes();
  Json totals = Json::object();
  totals["observation"] = counts.observations();
  totals["recommendation"] = counts.recommendations();
  totals["good_practice"] = counts.good_practices();
  totals["challenge"] = counts.challenges();
  json["outcome_counts"] = std::move(totals);
  Json statuses = Json::object();
  statuses["not_started"] = counts.not_started();
  statuses["partially_implemented"] = counts.partially_implemented();
  statuses["implemented"] = counts.implemented();
  statuses["no_longer_relevant"] = counts.no_longer_relevant();
  json["recommendation_statuses"] = std::move(statuses);
  json["implementation_rate"] = counts.has_rate() ? Json(counts.implementation_rate()) : Json(nullptr);
  json["outcomes"] = Json::array();
  for (const auto& outcome : review.outcomes()) {
    Json o = Json::object();
    o["outcome_id"] = outcome.outcome_id();
    o["article"] = outcome.article();
    o["chapter"] = outcome.chapter();
    o["kind"] = outcome.kind();
    o["text"] = OrNull(outcome.text());
    o["needs"] = Json::array();
    for (const std::string& need : outcome.needs()) o["needs"].push_back(need);
    o["recorded_on"] = outcome.recorded_on();
    if (outcome.kind() == "recommendation") {
      o["status"] = outcome.history().empty()
                        ? std::string("not_started")
                        : outcome.history(outcome.history_size() - 1).status();
      o["history"] = Json::array();
      for (const auto& step : outcome.history()) {
        Json h = Json::object();
        h["on"] = step.on();
        h["status"] = step.status();
        h["evidence"] = OrNull(step.evidence());
        o["history"].push_back(std::move(h));
      }
    }
    json["outcomes"].push_back(std::move(o));
  }
  return json;
}

}  // namespace irm::api_json
