// HttpAccess: who is asking over HTTP, and what of the log's events they may see: the same
// Authenticator and the same engine/access rules (through services/server/event_viewer.h) as the
// gRPC side.
//
// Without an Authorization header a request is an observer: public events and public fields
// only, review objects without confidential fields, aggregated needs (the services redact
// for the principal given, see ReviewService::ListReviewsAs). `Authorization: Bearer TOKEN`
// is looked up among the --auth principals (reloaded on SIGHUP like gRPC's) and gets that
// principal's view; an unknown or malformed token, or any token when irmd runs without
// --auth, is UNAUTHENTICATED (never silently downgraded to the observer view).
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
#include "engine/log/event_log.h"
#include "engine/review/review_workflow.h"
#include "services/server/authenticator.h"

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
  // `workflow` folds a review's stream to learn its parties and publication.
  HttpAccess(const Authenticator* auth, const review::ReviewWorkflow* workflow)
      : auth_(auth), workflow_(workflow) {}

  // The viewer of a request whose Authorization header is `authorization` ("" if none).
  absl::StatusOr<Viewer> ViewerOf(const std::string& authorization) const;

  // The view of events for `viewer`: the event as they may see it, or nullopt when it must
  // not be sent.
  using EventViewFn = std::function<std::optional<log::EventRecord>(const log::EventRecord&)>;
  EventViewFn EventView(const Viewer& viewer) const;

 private:
  const Authenticator* const auth_;
  const review::ReviewWorkflow* const workflow_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_ACCESS_H_
