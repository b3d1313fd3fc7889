#include "engine/review/deadlines.h"

#include "engine/review/dates.h"

namespace irm::review {
namespace {

std::optional<absl::CivilDay> Day(const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseDate(text, "date");
  if (!day.ok()) return std::nullopt;
  return *day;
}

}  // namespace

NextStep NextStepOf(const event::v1::ReviewState& review) {
  const std::string& stage = review.stage();
  const std::optional<absl::CivilDay> t0 = Day(review.launched_on());
  auto from_t0 = [&](int months) -> std::optional<absl::CivilDay> {
    if (!t0) return std::nullopt;
    return AddMonths(*t0, months);
  };
  if (stage == "scheduled") return {"ReviewersDrawn", std::nullopt};
  if (stage == "reviewers_drawn") return {"ReviewLaunched", std::nullopt};
  if (stage == "launched") {
    return {"FocalPointAppointed", t0 ? std::optional<absl::CivilDay>(*t0 + 21) : std::nullopt};
  }
  if (stage == "focal_point_appointed") return {"KickoffCallHeld", from_t0(1)};
  if (stage == "kickoff_held") {
    std::optional<absl::CivilDay> due = Day(review.checklist_due());
    return {"ChecklistSubmitted", due ? due : from_t0(2)};
  }
  if (stage == "checklist_submitted") {
    // The experts' month runs from the circulation of the responses when there is one.
    std::optional<absl::CivilDay> received = Day(review.checklist_circulated_on());
    if (!received) received = Day(review.checklist_on());
    return {"DeskReviewCompleted",
            received ? std::optional<absl::CivilDay>(AddMonths(*received, 1)) : std::nullopt};
  }
  if (stage == "desk_review_done") return {"CountryVisitHeld", from_t0(4)};
  if (stage == "dialogue_held") return {"DraftReportCirculated", from_t0(5)};
  if (stage == "draft_report") return {"ExecutiveSummaryApproved", from_t0(6)};
  if (stage == "summary_approved") {
    std::optional<absl::CivilDay> approved = Day(review.summary_approved_on());
    return {"ExecutiveSummaryIssued",
            approved ? std::optional<absl::CivilDay>(AddMonths(*approved, 2)) : std::nullopt};
  }
  return {"", std::nullopt};
}

std::string DeadlineBasis(const event::v1::ReviewState& review) {
  if (!NextStepOf(review).deadline.has_value()) return "";
  const std::string& stage = review.stage();
  if (stage == "kickoff_held" && Day(review.checklist_due())) return "checklist_due";
  if (stage == "checklist_submitted") {
    return Day(review.checklist_circulated_on()) ? "checklist_circulated_on" : "checklist_on";
  }
  if (stage == "summary_approved") return "summary_approved_on";
  return "launched_on";
}

bool IsOverdue(const event::v1::ReviewState& review, absl::CivilDay as_of) {
  NextStep next = NextStepOf(review);
  return next.deadline.has_value() && as_of > *next.deadline;
}

}  // namespace irm::review
