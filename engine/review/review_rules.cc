#include "engine/review/review_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/review/agreements.h"
#include "engine/review/dates.h"
#include "engine/review/outcome_rules.h"
#include "engine/review/review_names.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;
using google::protobuf::Message;

std::string Stream(const std::string& state, int cycle) { return ReviewStream(state, cycle); }

absl::Status NotNow(const ev::ReviewState& review, const std::string& stream,
                    absl::string_view type, absl::string_view why = "") {
  return absl::FailedPreconditionError(absl::StrCat(
      stream, " is at stage ", review.stage(), "; ", type, " is not allowed now",
      why.empty() ? "" : absl::StrCat(" (", why, ")"), "; allowed next: ", AllowedNext(review)));
}

// Reads, defaults and checks the event's business date `on`.
absl::StatusOr<absl::CivilDay> BusinessDate(Message* event, const StepContext& ctx) {
  const auto* field = event->GetDescriptor()->FindFieldByName("on");
  const auto* reflection = event->GetReflection();
  std::string on = reflection->GetString(*event, field);
  if (on.empty()) {
    on = FormatDate(ctx.today);
    reflection->SetString(event, field, on);
  }
  return ParseDate(on, "date");
}

// FailedPrecondition if `on` is before `after` (the business date of the step it follows).
absl::Status NotBefore(absl::CivilDay on, const std::string& after, absl::string_view what,
                       const std::string& stream) {
  if (after.empty()) return absl::OkStatus();
  IRM_ASSIGN_OR_RETURN(absl::CivilDay previous, ParseDate(after, "date"));
  if (on < previous) {
    return absl::FailedPreconditionError(absl::StrCat(
        stream, ": the date ", FormatDate(on), " is before ", what, " (", after,
        "); a step cannot be dated before the step it follows"));
  }
  return absl::OkStatus();
}

int Stage(const ev::ReviewState& r) { return StageIndex(r.stage()); }

}  // namespace

namespace {

// `value`'s error, if it is an InvalidArgument, about `field` (an event field name).
template <typename T>
absl::StatusOr<T> WithFieldIfInvalid(absl::StatusOr<T> value, absl::string_view field) {
  if (!absl::IsInvalidArgument(value.status())) return value;
  return common::WithField(value.status(), field);
}

// ReportAgreed: a party of the review agrees to its current draft, once.
absl::Status CheckAgreement(const ev::ReviewState& review, const std::string& stream,
                            const std::string& state_code, absl::CivilDay on,
                            const StepContext& ctx, ev::ReportAgreed* e) {
  IRM_RETURN_IF_ERROR(CheckParty(review, stream, e->party()));
  const std::string principal = PartyPrincipal(e->party(), state_code);
  if (!ctx.on_behalf_of.empty() && ctx.on_behalf_of != principal) {
    return common::InvalidField(
        "on_behalf_of", "ON_BEHALF_OF_MISMATCH",
        absl::StrCat("--on-behalf-of ", ctx.on_behalf_of, " does not match --party ", e->party(),
                     ": the agreement of ", DescribeParty(e->party(), state_code),
                     " is recorded on behalf of ", principal));
  }
  if (ctx.on_behalf_of.empty() && ctx.actor.role() != "focal_point" &&
      ctx.actor.role() != "reviewer") {
    return absl::PermissionDeniedError(absl::StrCat(
        "an agreement is given by its party; the secretariat records it on the party's behalf "
        "with --on-behalf-of ", principal));
  }
  if (review.stage() != "draft_report") {
    return NotNow(review, stream, "ReportAgreed", "the parties agree to a circulated draft");
  }
  if (const ev::PartyAgreement* earlier = FindAgreement(review, e->party())) {
    return absl::FailedPreconditionError(absl::StrCat(
        stream, ": ", DescribeParty(e->party(), state_code), " already agreed to draft ",
        review.drafts(), " on ", earlier->on(),
        "; only a new draft (irm review draft) calls for a new agreement"));
  }
  e->set_on_behalf_of(ctx.on_behalf_of);
  e->set_draft(review.drafts());
  return NotBefore(on, review.last_step_on(), "the draft", stream);
}

}  // namespace

std::string AllowedNext(const ev::ReviewState& review) {
  const std::string& stage = review.stage();
  if (stage.empty()) return "ReviewScheduled";
  if (stage == "scheduled") return "ReviewersDrawn, ReviewDeferred";
  if (stage == "reviewers_drawn") {
    return "ReviewLaunched, ReviewerRedrawRequested, ReviewerWithdrew, ReviewDeferred";
  }
  if (stage == "launched") return "FocalPointAppointed";
  if (stage == "focal_point_appointed") return "KickoffCallHeld";
  if (stage == "kickoff_held") return "ChecklistSubmitted";
  if (stage == "checklist_submitted") {
    return review.checklist_circulated_on().empty()
               ? "ChecklistCirculated or DeskReviewCompleted"
               : "DeskReviewCompleted";
  }
  const std::string call =
      review.desk_review_call_on().empty() ? "DeskReviewTeleconferenceHeld, " : "";
  if (stage == "desk_review_done") {
    return absl::StrCat(call,
                        "CountryVisitHeld, JointMeetingHeld, DirectDialogueDeclined or "
                        "CountryVisitPostponed");
  }
  if (stage == "dialogue_held") return absl::StrCat(call, "DraftReportCirculated");
  if (stage == "draft_report") {
    const std::vector<std::string> missing = MissingAgreements(review);
    if (missing.empty()) {
      return absl::StrCat(call, "ExecutiveSummaryApproved or DraftReportCirculated (a new draft)");
    }
    return absl::StrCat(call, "ReportAgreed (by ", absl::StrJoin(missing, ", "),
                        ") or DraftReportCirculated (a new draft); ExecutiveSummaryApproved "
                        "once the State and both reviewers agreed");
  }
  if (stage == "summary_approved") {
    return "ExecutiveSummaryIssued, FullReportPublished, PublicationDeclined, ChecklistPublished";
  }
  return "FullReportPublished, PublicationDeclined, ChecklistPublished, NeedIdentified";
}

absl::Status PrepareStep(const ev::ReviewState& review, bool exists, const std::string& state_code,
                         int cycle, Message* event, const StepContext& ctx) {
  IRM_ASSIGN_OR_RETURN(const domain::StateParty* party,
                       WithFieldIfInvalid(domain::FindStateParty(state_code), "state"));
  IRM_RETURN_IF_ERROR(common::WithField(domain::CheckCycle(cycle), "cycle"));
  const std::string stream = Stream(state_code, cycle);
  const std::string type = event->GetDescriptor()->name();
  IRM_ASSIGN_OR_RETURN(absl::CivilDay on, WithFieldIfInvalid(BusinessDate(event, ctx), "on"));

  if (type == "ReviewScheduled") {
    auto* e = static_cast<ev::ReviewScheduled*>(event);
    if (exists) {
      return absl::FailedPreconditionError(absl::StrCat(
          stream, " is already scheduled (review year ", review.year(), ", stage ", review.stage(),
          "); to move it to another year, record ReviewDeferred"));
    }
    if (e->year() < 1 || e->year() > 5) {
      return common::InvalidField(
          "year", "INVALID_REVIEW_YEAR",
          absl::StrCat("review year ", e->year(),
                       " is not a year of the cycle: give 1-5 (5 for late joiners)"));
    }
    e->set_state(state_code);
    e->set_cycle(cycle);
    e->set_region(std::string(domain::RegionName(party->region)));
    return absl::OkStatus();
  }
  if (!exists) {
    return absl::NotFoundError(absl::StrCat(
        stream, " does not exist: schedule the review first (irm review schedule ", state_code,
        " --cycle ", cycle, " --year Y)"));
  }
  const int stage = Stage(review);
  auto require_stage = [&](absl::string_view needed) -> absl::Status {
    if (review.stage() != needed) return NotNow(review, stream, type);
    return NotBefore(on, review.last_step_on(), "the previous step", stream);
  };

  if (type == "ReviewersDrawn") {
    auto* e = static_cast<ev::ReviewersDrawn*>(event);
    if (stage >= StageIndex("launched") && e->slot() == 0) return NotNow(review, stream, type);
    for (int slot = 1; slot <= 2; ++slot) {
      if (e->slot() != 0 && e->slot() != slot) continue;
      if (review.reviewers_size() >= slot && !review.reviewers(slot - 1).empty()) {
        return NotNow(review, stream, type,
                      absl::StrCat("slot ", slot, " is held by ", review.reviewers(slot - 1)));
      }
    }
    const int wanted = e->slot() == 0 ? 2 : 1;
    if (e->reviewers_size() != wanted) {
      return absl::InvalidArgumentError(
          absl::StrCat("ReviewersDrawn for ", stream, " needs ", wanted, " reviewer(s), got ",
                       e->reviewers_size()));
    }
    return absl::OkStatus();
  }
  if (type == "ReviewerRedrawRequested") {
    auto* e = static_cast<ev::ReviewerRedrawRequested*>(event);
    if (e->slot() != 1 && e->slot() != 2) {
      return common::InvalidField("slot", "INVALID_SLOT",
                                  absl::StrCat("slot ", e->slot(), " is not a slot: give 1 or 2"));
    }
    if (review.stage() != "reviewers_drawn") return NotNow(review, stream, type);
    if (review.redraws_requested_by_state() >= 2 && !e->by_secretariat_exception()) {
      return absl::FailedPreconditionError(absl::StrCat(
          stream, " has had its two redraws requested by the State; only the secretariat may "
          "grant another, as an exception"));
    }
    if (e->by_secretariat_exception() && ctx.actor.role() != "secretariat") {
      return absl::PermissionDeniedError("only the secretariat may grant a redraw as an exception");
    }
    e->set_reviewer(review.reviewers(e->slot() - 1));
    return NotBefore(on, review.last_step_on(), "the draw", stream);
  }
  if (type == "ReviewerWithdrew") {
    auto* e = static_cast<ev::ReviewerWithdrew*>(event);
    if (stage >= StageIndex("completed")) return NotNow(review, stream, type);
    for (int i = 0; i < review.reviewers_size(); ++i) {
      if (!e->reviewer().empty() && review.reviewers(i) == e->reviewer()) {
        e->set_slot(i + 1);
        return absl::OkStatus();
      }
    }
    std::vector<std::string> holders;
    for (const std::string& r : review.reviewers()) {
      if (!r.empty()) holders.push_back(r);
    }
    return absl::FailedPreconditionError(absl::StrCat(
        e->reviewer(), " does not review ", stream, "; ",
        holders.empty() ? "it has no reviewers"
                        : absl::StrCat("its reviewers are ", absl::StrJoin(holders, ", "))));
  }
  if (type == "ReviewDeferred") {
    auto* e = static_cast<ev::ReviewDeferred*>(event);
    if (stage >= StageIndex("launched")) return NotNow(review, stream, type, "the review is launched");
    if (e->to_year() <= review.year() || e->to_year() > 5) {
      return common::InvalidField(
          "to_year", "INVALID_REVIEW_YEAR",
          absl::StrCat("a review in year ", review.year(),
                       " can only be deferred to a later year, up to 5; got ", e->to_year()));
    }
    e->set_from_year(review.year());
    // The IRG's decision (first session): the reviewers are drawn again at the next draw.
    e->set_reviewers_released(true);
    e->clear_released_reviewers();
    for (const std::string& r : review.reviewers()) {
      if (!r.empty()) e->add_released_reviewers(r);
    }
    return absl::OkStatus();
  }
  if (type == "ReviewLaunched") return require_stage("reviewers_drawn");
  if (type == "FocalPointAppointed") {
    auto* e = static_cast<ev::FocalPointAppointed*>(event);
    if (e->name().empty()) {
      return common::InvalidField("name", "VALUE_REQUIRED", "the focal point needs a name (--name)");
    }
    if (review.stage() == "launched") return require_stage("launched");
    if (stage > StageIndex("launched")) return absl::OkStatus();  // a replacement
    return NotNow(review, stream, type);
  }
  if (type == "KickoffCallHeld") {
    auto* e = static_cast<ev::KickoffCallHeld*>(event);
    if (!e->checklist_due().empty()) {
      IRM_ASSIGN_OR_RETURN(
          absl::CivilDay due,
          WithFieldIfInvalid(ParseDate(e->checklist_due(), "checklist due date"), "checklist_due"));
      if (due < on) {
        return common::InvalidField("checklist_due", "INVALID_DATE",
                                    "the checklist cannot be due before the kick-off call");
      }
    }
    return require_stage("focal_point_appointed");
  }
  if (type == "ChecklistSubmitted") return require_stage("kickoff_held");
  if (type == "ChecklistCirculated") {
    if (review.stage() != "checklist_submitted") {
      return NotNow(review, stream, type, "the checklist is circulated after its submission, "
                                          "before the desk review");
    }
    if (!review.checklist_circulated_on().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(stream, ": the checklist was already circulated on ",
                       review.checklist_circulated_on(), "; it is circulated once"));
    }
    return NotBefore(on, review.checklist_on(), "the checklist's submission", stream);
  }
  if (type == "DeskReviewCompleted") {
    IRM_RETURN_IF_ERROR(require_stage("checklist_submitted"));
    return NotBefore(on, review.checklist_circulated_on(), "the checklist's circulation", stream);
  }
  if (type == "DeskReviewTeleconferenceHeld") {
    if (stage < StageIndex("desk_review_done") || stage > StageIndex("draft_report")) {
      return NotNow(review, stream, type,
                    "the call presents the desk review's outcome: after the desk review, "
                    "before the approval");
    }
    if (!review.desk_review_call_on().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(stream, ": the desk review teleconference was already held on ",
                       review.desk_review_call_on(), "; it is recorded once"));
    }
    return NotBefore(on, review.desk_review_on(), "the desk review", stream);
  }
  if (type == "CountryVisitHeld") {
    auto* e = static_cast<ev::CountryVisitHeld*>(event);
    IRM_ASSIGN_OR_RETURN(absl::CivilDay from,
                         WithFieldIfInvalid(ParseDate(e->from(), "visit start (--from)"), "from"));
    IRM_ASSIGN_OR_RETURN(absl::CivilDay to,
                         WithFieldIfInvalid(ParseDate(e->to(), "visit end (--to)"), "to"));
    if (to < from) {
      return common::InvalidField("to", "INVALID_DATE",
                                  "the visit ends (--to) before it starts (--from)");
    }
    e->set_on(e->from());
    if (review.stage() != "desk_review_done") return NotNow(review, stream, type);
    return NotBefore(from, review.last_step_on(), "the desk review", stream);
  }
  if (type == "JointMeetingHeld" || type == "DirectDialogueDeclined" ||
      type == "CountryVisitPostponed") {
    return require_stage("desk_review_done");
  }
  if (type == "DraftReportCirculated") {
    // At draft_report: a changed draft, which voids the agreements to the earlier one.
    if (review.stage() == "draft_report") {
      return NotBefore(on, review.last_step_on(), "the previous draft", stream);
    }
    return require_stage("dialogue_held");
  }
  if (type == "ReportAgreed") return CheckAgreement(review, stream, state_code, on, ctx,
                                                    static_cast<ev::ReportAgreed*>(event));
  if (type == "ExecutiveSummaryApproved") {
    IRM_RETURN_IF_ERROR(require_stage("draft_report"));
    const std::vector<std::string> missing = MissingAgreements(review);
    if (!missing.empty()) {
      std::vector<std::string> described;
      for (const std::string& party : missing) described.push_back(DescribeParty(party, state_code));
      return common::WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              stream, ": the final report and its executive summary (draft ", review.drafts(),
              ") are not agreed yet by ", absl::StrJoin(described, ", "),
              "; the State under review and both reviewing States agree first (irm review "
              "agree ", state_code, " --cycle ", cycle, " --party ",
              absl::StrJoin(missing, "|"), ")")),
          "AGREEMENTS_MISSING", {{"missing", absl::StrJoin(missing, ",")}});
    }
    for (const ev::PartyAgreement& agreement : review.agreements()) {
      IRM_RETURN_IF_ERROR(NotBefore(on, agreement.on(),
                                    absl::StrCat("the agreement of ", agreement.party()), stream));
    }
    return absl::OkStatus();
  }
  if (type == "ExecutiveSummaryIssued") return require_stage("summary_approved");
  if (type == "FullReportPublished" || type == "PublicationDeclined" ||
      type == "ChecklistPublished") {
    if (stage < StageIndex("summary_approved")) return NotNow(review, stream, type, "the report is not approved yet");
    if (type == "PublicationDeclined" && review.publication() == "published") {
      return absl::FailedPreconditionError(absl::StrCat(stream, ": the full report is already published"));
    }
    if (type == "FullReportPublished" && review.publication() == "published") {
      return absl::FailedPreconditionError(absl::StrCat(stream, ": the full report is already published"));
    }
    if (type == "ChecklistPublished" && review.checklist_published()) {
      return absl::FailedPreconditionError(absl::StrCat(stream, ": the checklist is already published"));
    }
    return NotBefore(on, review.summary_approved_on(), "the approval", stream);
  }
  if (type == "NeedIdentified") {
    auto* e = static_cast<ev::NeedIdentified*>(event);
    IRM_RETURN_IF_ERROR(common::WithField(domain::CheckArticleInCycle(e->article(), cycle), "article"));
    IRM_RETURN_IF_ERROR(common::WithField(domain::CheckNeedCategory(cycle, e->category()), "category"));
    if (e->text().empty()) {
      return common::InvalidField("text", "VALUE_REQUIRED", "a need needs a text (--text)");
    }
    if (stage < StageIndex("launched")) return NotNow(review, stream, type, "the review is not launched");
    IRM_ASSIGN_OR_RETURN(const domain::Article* article, domain::FindArticle(e->article()));
    e->set_chapter(std::string(article->chapter));
    e->set_need_id(NeedId(state_code, cycle, review.needs_size() + 1));
    return NotBefore(on, review.launched_on(), "the launch", stream);
  }
  if (type == "NeedStatusChanged") {
    auto* e = static_cast<ev::NeedStatusChanged*>(event);
    bool valid = false;
    for (absl::string_view s : kNeedStatuses) valid = valid || s == e->status();
    if (!valid) {
      return common::InvalidField(
          "status", "INVALID_NEED_STATUS",
          absl::StrCat("need status ", common::Quote(e->status()), " is not one of ",
                       absl::StrJoin(kNeedStatuses, ", ")),
          {{"allowed", absl::StrJoin(kNeedStatuses, ", ")}});
    }
    for (const ev::NeedState& need : review.needs()) {
      if (need.need_id() == e->need_id()) return NotBefore(on, need.identified_on(), "the need's identification", stream);
    }
    return absl::NotFoundError(absl::StrCat("no need ", e->need_id(), " in ", stream, "; it has ",
                                            review.needs_size(), " needs"));
  }
  if (type == "OutcomeRecorded") {
    return CheckOutcome(review, stream, state_code, cycle, on,
                        static_cast<ev::OutcomeRecorded*>(event));
  }
  if (type == "RecommendationStatusChanged") {
    return CheckRecommendationStatusChange(review, stream, on,
                                           static_cast<ev::RecommendationStatusChanged*>(event));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(common::Quote(type), " is not a step of the review workflow"));
}

}  // namespace irm::review
