#include "services/http/http_access.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/http/login_page.h"
#include "services/server/event_viewer.h"

namespace irm::services::http {

access::Principal ObserverPrincipal() {
  access::Principal principal;
  principal.name = "anonymous";
  principal.role = access::Role::kObserver;
  return principal;
}

absl::StatusOr<Viewer> HttpAccess::ViewerOf(const std::string& authorization,
                                            const std::string& cookie) const {
  if (authorization.empty()) {
    const std::string id = SessionIdOf(cookie);
    if (!id.empty() && !auth_->open()) {
      if (std::optional<ConsoleSession> session = LiveSession(id)) {
        return Viewer{session->principal, absl::StrCat("Bearer ", session->token), session};
      }
      // An ended session on a published dashboard is just no token.
      if (SignInRequired()) {
        return absl::UnauthenticatedError(
            "the signed-in session has ended (signed out, idle too long, or its principal "
            "changed); sign in again at /login");
      }
    }
    if (SignInRequired()) {
      return absl::UnauthenticatedError(
          "this irmd runs with --auth: send 'Authorization: Bearer TOKEN' or sign in at /login");
    }
    return Viewer{ObserverPrincipal()};
  }
  if (auth_->open()) {
    return absl::UnauthenticatedError(
        "this irmd runs without --auth, so bearer tokens cannot be checked; send no "
        "Authorization header for the public observer view");
  }
  absl::string_view value(authorization);
  absl::StatusOr<access::Principal> principal = auth_->AuthenticateHeader(&value);
  if (!principal.ok()) return principal.status();
  return Viewer{*std::move(principal), authorization, std::nullopt};
}

std::optional<ConsoleSession> HttpAccess::LiveSession(const std::string& id) const {
  if (sessions_ == nullptr || id.empty()) return std::nullopt;
  std::optional<ConsoleSession> session = sessions_->Find(id);
  if (!session.has_value() || auth_->open()) return session;
  // The --auth file may have been reloaded since: the token must still be that principal.
  absl::StatusOr<access::Principal> now = SignIn(session->token);
  if (!now.ok() || now->name != session->principal.name ||
      now->role != session->principal.role || now->state != session->principal.state) {
    sessions_->End(id);
    return std::nullopt;
  }
  return session;
}

absl::StatusOr<Viewer> HttpAccess::ConsoleViewerOf(const std::string& authorization,
                                                   const std::string& cookie) const {
  if (auth_->open()) {
    if (!authorization.empty()) return ViewerOf(authorization, cookie);  // UNAUTHENTICATED
    return Viewer{access::DevelopmentPrincipal(), "", LiveSession(SessionIdOf(cookie))};
  }
  if (authorization.empty() && !LiveSession(SessionIdOf(cookie)).has_value()) {
    return absl::UnauthenticatedError(
        "the console needs a signed-in session: sign in at /login");
  }
  return ViewerOf(authorization, cookie);
}

absl::StatusOr<access::Principal> HttpAccess::SignIn(const std::string& token) const {
  if (auth_->open()) {
    return absl::UnauthenticatedError("this irmd runs without --auth; no sign-in is needed");
  }
  const std::string header = absl::StrCat("Bearer ", token);
  absl::string_view value(header);
  return auth_->AuthenticateHeader(&value);
}

HttpAccess::EventViewFn HttpAccess::EventView(const Viewer& viewer) const {
  const review::ReviewWorkflow* workflow = workflow_;
  std::shared_ptr<EventViewer> view = EventViewer::For(
      viewer.principal,
      [workflow](const std::string& state, int cycle) { return workflow->Load(state, cycle); });
  if (view == nullptr) {
    return [](const log::EventRecord& record) {
      return std::optional<ViewedEvent>(ViewedEvent{record, false});
    };
  }
  return [view](const log::EventRecord& record) -> std::optional<ViewedEvent> {
    std::optional<log::EventRecord> seen = view->View(record);
    if (!seen.has_value()) return std::nullopt;
    const bool redacted = IsRedacted(record, *seen);
    return ViewedEvent{*std::move(seen), redacted};
  };
}

}  // namespace irm::services::http
