// HttpAccess: who is asking over HTTP, and what of the log they may see, decided by
// engine/access (the same visibility rules as the gRPC side).
//
// Without an Authorization header a request is an observer: public events and public fields
// only (access::ViewOfEvent), review objects without confidential fields
// (access::ViewOfReview), aggregated needs. `Authorization: Bearer TOKEN` is looked up among
// the --auth principals and gets that principal's view; an unknown or malformed token, or
// any token when irmd runs without --auth, is UNAUTHENTICATED (never silently downgraded).
//
// Thread-safe; the pointers must outlive it. EventView() returns a function for one stream
// of events (one SSE session), not to be shared between threads.
#ifndef IRM_SERVICES_HTTP_HTTP_ACCESS_H_
#define IRM_SERVICES_HTTP_HTTP_ACCESS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "engine/access/principal.h"
#include "engine/access/token_file.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection_store.h"
#include "irm/api/v1/review.pb.h"

namespace irm::services::http {

// The principal a request acts as.
struct Viewer {
  access::Principal principal;  // role observer without a token
  std::string label() const { return principal.Label(); }
};

// The principal of a request without a token.
access::Principal ObserverPrincipal();

class HttpAccess {
 public:
  // `reviews` is the projection store holding the reviews projection (who is party to a
  // review, whether it published); `principals` is null without --auth.
  HttpAccess(const projection::ProjectionStore* reviews, const access::PrincipalTable* principals)
      : reviews_(reviews), principals_(principals) {}

  // The viewer of a request whose Authorization header is `authorization` ("" if none).
  absl::StatusOr<Viewer> ViewerOf(const std::string& authorization) const;

  // The view of events for `viewer`: the event as they may see it, or nullopt when it must
  // not be sent. Caches each review's parties and publication for a second.
  using EventViewFn = std::function<std::optional<log::EventRecord>(const log::EventRecord&)>;
  EventViewFn EventView(const Viewer& viewer) const;

  // A review object as `viewer` may see it. The count of needs stays (an aggregate).
  api::v1::ReviewStatus ViewReview(const Viewer& viewer, const api::v1::ReviewStatus& status) const;

 private:
  const projection::ProjectionStore* const reviews_;
  const access::PrincipalTable* const principals_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_ACCESS_H_
