#include "engine/review/outcome_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/review/dates.h"
#include "engine/review/outcomes.h"
#include "engine/review/review_names.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;

// FailedPrecondition if `on` is before `after` (a YYYY-MM-DD of an earlier step, "" for none).
absl::Status NotBeforeStep(absl::CivilDay on, const std::string& after, absl::string_view what,
                           const std::string& stream) {
  if (after.empty()) return absl::OkStatus();
  IRM_ASSIGN_OR_RETURN(absl::CivilDay previous, ParseDate(after, "date"));
  if (on >= previous) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(stream, ": the date ", FormatDate(on), " is before ", what, " (", after,
                   "); a step cannot be dated before the step it follows"));
}

}  // namespace

absl::Status CheckOutcome(const ev::ReviewState& review, const std::string& stream,
                          const std::string& state_code, int cycle, absl::CivilDay on,
                          ev::OutcomeRecorded* e) {
  IRM_RETURN_IF_ERROR(common::WithField(domain::CheckArticleInCycle(e->article(), cycle), "article"));
  IRM_RETURN_IF_ERROR(CheckOutcomeKind(e->kind(), "kind"));
  if (e->text().empty()) {
    return common::InvalidField("text", "VALUE_REQUIRED", "an outcome needs a text (--text)");
  }
  if (e->needs_size() > 0 && e->kind() != "challenge") {
    return common::InvalidField(
        "needs", "NEEDS_ON_CHALLENGES_ONLY",
        absl::StrCat("--needs names the needs a challenge gave rise to; a ", e->kind(),
                     " names none (give --kind challenge, or leave --needs out)"));
  }
  for (const std::string& need_id : e->needs()) {
    bool found = false;
    for (const ev::NeedState& need : review.needs()) found = found || need.need_id() == need_id;
    if (!found) {
      return common::InvalidField(
          "needs", "UNKNOWN_NEED",
          absl::StrCat("no need ", common::Quote(need_id), " in ", stream, "; it has ",
                       review.needs_size(), " needs; name needs of this review, as irm need add "
                       "printed their ids"));
    }
  }
  const int stage = StageIndex(review.stage());
  if (stage >= StageIndex("summary_approved")) {
    return absl::FailedPreconditionError(absl::StrCat(
        stream, " is at stage ", review.stage(), "; OutcomeRecorded is not allowed now (the "
        "executive summary was approved on ", review.summary_approved_on(),
        " and carries the outcomes: they are recorded from the desk review until the approval)"));
  }
  if (stage < StageIndex("desk_review_done")) {
    return absl::FailedPreconditionError(absl::StrCat(
        stream, " is at stage ", review.stage(), "; OutcomeRecorded is not allowed now (outcomes "
        "are recorded from the desk review, stage desk_review_done, until the executive summary "
        "is approved)"));
  }
  IRM_RETURN_IF_ERROR(NotBeforeStep(on, review.desk_review_on(), "the desk review", stream));
  IRM_RETURN_IF_ERROR(NotBeforeStep(on, review.last_step_on(), "the previous step", stream));
  IRM_ASSIGN_OR_RETURN(const domain::Article* article, domain::FindArticle(e->article()));
  e->set_chapter(std::string(article->chapter));
  e->set_outcome_id(OutcomeId(state_code, cycle, e->kind(), CountOutcomes(review, e->kind()) + 1));
  e->clear_agreements_voided();
  for (const ev::PartyAgreement& agreement : review.agreements()) {
    e->add_agreements_voided(agreement.party());
  }
  return absl::OkStatus();
}

absl::Status CheckRecommendationStatusChange(const ev::ReviewState& review,
                                             const std::string& stream, absl::CivilDay on,
                                             ev::RecommendationStatusChanged* e) {
  IRM_RETURN_IF_ERROR(CheckRecommendationStatus(e->status(), "status"));
  IRM_RETURN_IF_ERROR(common::WithField(ParseOutcomeId(e->outcome_id()).status(), "outcome_id"));
  const ev::OutcomeState* outcome = FindOutcome(review, e->outcome_id());
  if (outcome == nullptr) {
    return absl::NotFoundError(absl::StrCat("no outcome ", e->outcome_id(), " in ", stream,
                                            "; it has ", CountOutcomes(review, kRecommendation),
                                            " recommendations"));
  }
  if (outcome->kind() != kRecommendation) {
    return common::InvalidField(
        "outcome_id", "NOT_A_RECOMMENDATION",
        absl::StrCat(e->outcome_id(), " is a ", outcome->kind(),
                     "; implementation status is followed for recommendations only (KEN-2-R1 ...)"));
  }
  if (review.summary_issued_on().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        stream, " is at stage ", review.stage(), "; RecommendationStatusChanged is not allowed "
        "now (the follow-up of recommendations starts once the executive summary is issued: "
        "irm review issue-summary)"));
  }
  IRM_RETURN_IF_ERROR(
      NotBeforeStep(on, review.summary_issued_on(), "the executive summary's issue", stream));
  if (outcome->history_size() > 0) {
    const ev::OutcomeStatusStep& last = outcome->history(outcome->history_size() - 1);
    IRM_RETURN_IF_ERROR(NotBeforeStep(
        on, last.on(), absl::StrCat("its latest status change (", last.status(), ")"), stream));
  }
  return absl::OkStatus();
}

}  // namespace irm::review
