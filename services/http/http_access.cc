#include "services/http/http_access.h"

#include <memory>

#include "services/server/event_viewer.h"

namespace irm::services::http {

access::Principal ObserverPrincipal() {
  access::Principal principal;
  principal.name = "anonymous";
  principal.role = access::Role::kObserver;
  return principal;
}

absl::StatusOr<Viewer> HttpAccess::ViewerOf(const std::string& authorization) const {
  if (authorization.empty()) return Viewer{ObserverPrincipal()};
  if (auth_->open()) {
    return absl::UnauthenticatedError(
        "this irmd runs without --auth, so bearer tokens cannot be checked; send no "
        "Authorization header for the public observer view");
  }
  absl::string_view value(authorization);
  absl::StatusOr<access::Principal> principal = auth_->AuthenticateHeader(&value);
  if (!principal.ok()) return principal.status();
  return Viewer{*std::move(principal)};
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
