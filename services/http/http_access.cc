#include "services/http/http_access.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"

namespace irm::services::http {
namespace {

// Interim observer rules until engine/access/ (issue 7) is merged: the workflow's public
// steps (domain.md section 2: schedule, stages, visits, executive summaries, publication)
// with their data, no needs events, no raw streams; metadata reduced to the time.
bool IsPublicEventTypeInterim(const std::string& type) {
  static const auto* types = new absl::flat_hash_set<std::string>{
      "ReviewScheduled",      "ReviewersDrawn",        "ReviewerRedrawRequested",
      "ReviewerWithdrew",     "ReviewDeferred",        "ReviewLaunched",
      "KickoffCallHeld",      "ChecklistSubmitted",    "DeskReviewCompleted",
      "CountryVisitHeld",     "CountryVisitPostponed", "JointMeetingHeld",
      "DirectDialogueDeclined", "DraftReportCirculated", "ExecutiveSummaryApproved",
      "ExecutiveSummaryIssued", "FullReportPublished",   "PublicationDeclined",
      "ChecklistPublished"};
  return types->contains(type);
}

}  // namespace

absl::StatusOr<Viewer> HttpAccess::ViewerOf(const std::string& authorization) const {
  if (authorization.empty()) return Viewer{};
  return absl::UnauthenticatedError(
      "this irmd has no --auth file, so bearer tokens cannot be checked; send no "
      "Authorization header for the public observer view");
}

std::optional<log::EventRecord> HttpAccess::ViewEvent(const Viewer& viewer,
                                                      const log::EventRecord& event) const {
  if (viewer.full) return event;
  if (!absl::StartsWith(event.stream(), "review-") || !IsPublicEventTypeInterim(event.type())) {
    return std::nullopt;
  }
  log::EventRecord view = event;
  const int64_t recorded_at = event.metadata().recorded_at_us();
  view.clear_metadata();
  view.mutable_metadata()->set_recorded_at_us(recorded_at);
  return view;
}

api::v1::ReviewStatus HttpAccess::ViewReview(const Viewer& viewer,
                                             const api::v1::ReviewStatus& status) const {
  if (viewer.full) return status;
  api::v1::ReviewStatus view = status;
  view.mutable_review()->clear_focal_point();
  for (event::v1::NeedState& need : *view.mutable_review()->mutable_needs()) need.clear_text();
  return view;
}

}  // namespace irm::services::http
