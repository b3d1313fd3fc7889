#include "services/http/http_access.h"

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "engine/access/visibility.h"
#include "engine/review/reviews_projection.h"

namespace irm::services::http {
namespace {

// "review-KEN-2" -> (KEN, 2); false for any other stream.
bool ParseReviewStream(const std::string& stream, std::string* state, int* cycle) {
  if (!absl::StartsWith(stream, "review-")) return false;
  const size_t dash = stream.rfind('-');
  if (dash <= 7 || !absl::SimpleAtoi(stream.substr(dash + 1), cycle)) return false;
  *state = stream.substr(7, dash - 7);
  return true;
}

// Per-stream audience and publication for one viewer, refreshed after a second.
class EventViewCache {
 public:
  EventViewCache(const projection::ProjectionStore* reviews, access::Principal principal)
      : reviews_(reviews), principal_(std::move(principal)) {}

  std::optional<log::EventRecord> View(const log::EventRecord& record) {
    std::string state;
    int cycle = 0;
    if (!ParseReviewStream(record.stream(), &state, &cycle)) {
      return access::ViewOfEvent(record, access::BaseAudience(principal_), {});
    }
    const absl::Time now = absl::Now();
    Seen& seen = streams_[record.stream()];
    if (seen.until <= now) {
      access::ReviewParties parties;
      parties.state = state;
      seen.publication = {};
      absl::StatusOr<std::optional<event::v1::ReviewState>> review =
          review::ReadReview(*reviews_, state, cycle);
      if (review.ok() && review->has_value()) {
        parties = access::PartiesOf(**review);
        seen.publication = access::PublicationOf(**review);
      }
      seen.audience = access::AudienceFor(principal_, parties);
      seen.until = now + absl::Seconds(1);
    }
    return access::ViewOfEvent(record, seen.audience, seen.publication);
  }

 private:
  struct Seen {
    access::Audience audience = access::Audience::kPublic;
    access::ReviewPublication publication;
    absl::Time until = absl::InfinitePast();
  };
  const projection::ProjectionStore* const reviews_;
  const access::Principal principal_;
  absl::flat_hash_map<std::string, Seen> streams_;
};

}  // namespace

access::Principal ObserverPrincipal() {
  access::Principal principal;
  principal.name = "anonymous";
  principal.role = access::Role::kObserver;
  return principal;
}

absl::StatusOr<Viewer> HttpAccess::ViewerOf(const std::string& authorization) const {
  if (authorization.empty()) return Viewer{ObserverPrincipal()};
  if (principals_ == nullptr) {
    return absl::UnauthenticatedError(
        "this irmd runs without --auth, so bearer tokens cannot be checked; send no "
        "Authorization header for the public observer view");
  }
  constexpr absl::string_view kBearer = "bearer ";
  if (authorization.size() <= kBearer.size() ||
      absl::AsciiStrToLower(authorization.substr(0, kBearer.size())) != kBearer) {
    return absl::UnauthenticatedError(
        "the Authorization header is not 'Bearer TOKEN'; send a token from the --auth file, "
        "or no header for the observer view");
  }
  const std::string token(absl::StripAsciiWhitespace(authorization.substr(kBearer.size())));
  const access::Principal* principal = principals_->FindByToken(token);
  if (principal == nullptr) {
    return absl::UnauthenticatedError(
        "unknown bearer token: it matches no principal of the --auth file");
  }
  return Viewer{*principal};
}

HttpAccess::EventViewFn HttpAccess::EventView(const Viewer& viewer) const {
  auto cache = std::make_shared<EventViewCache>(reviews_, viewer.principal);
  return [cache](const log::EventRecord& record) { return cache->View(record); };
}

api::v1::ReviewStatus HttpAccess::ViewReview(const Viewer& viewer,
                                             const api::v1::ReviewStatus& status) const {
  const access::Audience audience =
      access::AudienceFor(viewer.principal, access::PartiesOf(status.review()));
  if (audience == access::Audience::kFull) return status;
  api::v1::ReviewStatus view = status;
  *view.mutable_review() = access::ViewOfReview(status.review(), audience);
  return view;
}

}  // namespace irm::services::http
