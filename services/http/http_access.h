// HttpAccess: who is asking over HTTP, and what of the log they may see.
//
// Without an Authorization header a request gets the observer view: public events and
// public fields only, review objects without confidential fields, aggregated needs.
// `Authorization: Bearer TOKEN` is looked up in the --auth principals; an unknown token, or
// any token when irmd runs without --auth, is UNAUTHENTICATED (never silently downgraded).
//
// Thread-safe; the pointers must outlive it.
#ifndef IRM_SERVICES_HTTP_HTTP_ACCESS_H_
#define IRM_SERVICES_HTTP_HTTP_ACCESS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection_store.h"
#include "irm/api/v1/review.pb.h"

namespace irm::services::http {

// The principal a request acts as; `full` when it may see everything.
struct Viewer {
  std::string label = "observer";  // "observer", "secretariat", "focal_point:KEN", ...
  bool full = false;
};

class HttpAccess {
 public:
  explicit HttpAccess(const projection::ProjectionStore* reviews) : reviews_(reviews) {}

  // The viewer of a request whose Authorization header is `authorization` ("" if none).
  absl::StatusOr<Viewer> ViewerOf(const std::string& authorization) const;

  // `event` as `viewer` may see it, or nullopt when it must not be sent.
  std::optional<log::EventRecord> ViewEvent(const Viewer& viewer,
                                            const log::EventRecord& event) const;

  // A review object as `viewer` may see it (counts of needs stay: they are aggregates).
  api::v1::ReviewStatus ViewReview(const Viewer& viewer, const api::v1::ReviewStatus& status) const;

 private:
  const projection::ProjectionStore* const reviews_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_ACCESS_H_
