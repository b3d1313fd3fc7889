// HttpAccess: who is asking over HTTP, and what of the log's events they may see: the same
// Authenticator and the same engine/access rules (through services/server/event_viewer.h) as the
// gRPC side.
//
// A request's token is its `Authorization: Bearer TOKEN` header or, without one, its signed-in
// session (the `irm_session` cookie names a session of console/console_sessions.h). A token is
// looked up among the --auth principals (reloaded on SIGHUP like gRPC's) and gets that
// principal's view; an unknown or malformed token, or any token when irmd runs without
// --auth, is UNAUTHENTICATED (never silently downgraded). A session counts only while the
// --auth file still gives its token the principal it signed in as: once a reload removes or
// changes that principal, the session is ended at its next request.
// Without a token: with --auth, UNAUTHENTICATED, as on gRPC, unless --public-dashboard
// publishes the observer view; without --auth (a loopback development server) the observer
// view (a session cookie whose token was revoked then counts as no token). The observer view: public events and public fields only, review objects without
// confidential fields, aggregated needs (the services redact for the principal given, see
// ReviewService::ListReviewsAs).
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
#include "services/http/console/console_sessions.h"
#include "services/server/authenticator.h"

namespace irm::services::http {

// The principal a request acts as.
struct Viewer {
  access::Principal principal;  // role observer without a token
  // The `authorization` metadata to call irmd's gRPC services as this principal:
  // "Bearer TOKEN", or "" (no token: the open server's development principal).
  std::string authorization;
  // The signed-in session the request came with, if any (console pages, CSRF checks).
  std::optional<ConsoleSession> session;
  std::string label() const { return principal.Label(); }
};

// The principal of a request without a token.
access::Principal ObserverPrincipal();

class HttpAccess {
 public:
  // `workflow` folds a review's stream to learn its parties and publication.
  // `public_dashboard` (--public-dashboard): requests without a token get the observer view
  // even with --auth.
  // `sessions` (may be null: no sessions) holds the signed-in browsers.
  HttpAccess(const Authenticator* auth, const review::ReviewWorkflow* workflow,
             bool public_dashboard = false, ConsoleSessions* sessions = nullptr)
      : auth_(auth), workflow_(workflow), public_dashboard_(public_dashboard),
        sessions_(sessions) {}

  // True when a request without a token is refused: --auth without --public-dashboard.
  bool SignInRequired() const { return !auth_->open() && !public_dashboard_; }
  // True when tokens can be checked at all (--auth).
  bool ChecksTokens() const { return !auth_->open(); }

  // The viewer of a request whose Authorization header is `authorization` ("" if none) and
  // whose Cookie header is `cookie` ("" if none).
  absl::StatusOr<Viewer> ViewerOf(const std::string& authorization,
                                  const std::string& cookie = "") const;
  // The principal of `token` typed into the sign-in page; UNAUTHENTICATED if unknown.
  absl::StatusOr<access::Principal> SignIn(const std::string& token) const;

  // The viewer of a console page or command (docs/console.md): without --auth the open
  // server's development principal (the secretariat, as on gRPC) with the request's session
  // if it has one; with --auth a bearer token's or a live session's principal, otherwise
  // UNAUTHENTICATED (also with --public-dashboard: the console is for signed-in users).
  absl::StatusOr<Viewer> ConsoleViewerOf(const std::string& authorization,
                                         const std::string& cookie) const;
  // The live session `id`, or nullopt (unknown, ended, idle, or its principal changed).
  std::optional<ConsoleSession> LiveSession(const std::string& id) const;

  // An event as a viewer may see it. `redacted`: the record differs from the stored one
  // (engine/access/visibility took something out), so its bytes are not the event's.
  struct ViewedEvent {
    log::EventRecord record;
    bool redacted = false;
  };
  // The view of events for `viewer`: the event as they may see it, or nullopt when it must
  // not be sent.
  using EventViewFn = std::function<std::optional<ViewedEvent>(const log::EventRecord&)>;
  EventViewFn EventView(const Viewer& viewer) const;

 private:
  const Authenticator* const auth_;
  const review::ReviewWorkflow* const workflow_;
  const bool public_dashboard_;
  ConsoleSessions* const sessions_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_ACCESS_H_
