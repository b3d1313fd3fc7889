#include "services/server/event_viewer.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "engine/domain/review_stream.h"

namespace irm::services {
namespace {

constexpr absl::Duration kCacheFor = absl::Seconds(1);

// Events after which a review's parties or publication (or summary issue) may differ.
bool ChangesAccess(const std::string& type) {
  return type == "ReviewScheduled" || type == "ReviewersDrawn" || type == "ReviewerWithdrew" ||
         type == "ReviewerRedrawRequested" || type == "FullReportPublished" ||
         type == "ChecklistPublished" || type == "ExecutiveSummaryIssued";
}

}  // namespace

std::unique_ptr<EventViewer> EventViewer::For(const access::Principal& principal,
                                              ReviewLookup lookup) {
  if (access::BaseAudience(principal) == access::Audience::kFull) return nullptr;
  return std::unique_ptr<EventViewer>(new EventViewer(principal, std::move(lookup)));
}

const EventViewer::Seen& EventViewer::SeenFor(const std::string& stream) {
  const absl::Time now = absl::Now();
  auto it = streams_.find(stream);
  if (it != streams_.end() && it->second.until > now) return it->second;
  Seen seen{access::BaseAudience(principal_), {}, now + kCacheFor};
  std::string state;
  int cycle = 0;
  // A deadline stream is seen as its review is: the review's parties see it whole.
  if (domain::ParseReviewStream(stream, &state, &cycle) ||
      domain::ParseDeadlineStream(stream, &state, &cycle)) {
    access::ReviewParties parties;
    parties.state = state;
    absl::StatusOr<event::v1::ReviewState> review = lookup_(state, cycle);
    if (review.ok()) {
      parties = access::PartiesOf(*review);
      seen.publication = access::PublicationOf(*review);
    }
    seen.audience = access::AudienceFor(principal_, parties);
  }
  return streams_[stream] = seen;
}

std::optional<event::v1::EventRecord> EventViewer::View(const event::v1::EventRecord& record) {
  const Seen& seen = SeenFor(record.stream());
  std::optional<event::v1::EventRecord> view =
      access::ViewOfEvent(record, seen.audience, seen.publication);
  if (ChangesAccess(record.type())) streams_.erase(record.stream());
  return view;
}

bool IsRedacted(const event::v1::EventRecord& record, const event::v1::EventRecord& view) {
  return view.data() != record.data() ||
         view.metadata().SerializeAsString() != record.metadata().SerializeAsString();
}

}  // namespace irm::services
