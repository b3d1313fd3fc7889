// EventViewer: what one caller may receive of the log's events, for the length of one call
// (a read, an export, a subscription).
//
// Applies engine/access/visibility to each event. Who is party to a review and whether its
// State has published come from the review folded from its stream at the time the event is
// looked at (ReviewLookup), cached per stream for at most a second and dropped when an event
// that changes them (draws, withdrawals, publications) passes. Secretariat and auditors see
// everything: For() returns nullptr for them, so their reads pay nothing.
// Not thread-safe: one viewer per call, used by one thread at a time.
#ifndef IRM_SERVICES_SERVER_EVENT_VIEWER_H_
#define IRM_SERVICES_SERVER_EVENT_VIEWER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/access/principal.h"
#include "engine/access/visibility.h"
#include "irm/event/v1/record.pb.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::services {

// The review of `state` and `cycle` as it stands now; NotFound if not scheduled.
using ReviewLookup =
    std::function<absl::StatusOr<event::v1::ReviewState>(const std::string& state, int cycle)>;

class EventViewer {
 public:
  // nullptr when `principal` sees every event unchanged.
  static std::unique_ptr<EventViewer> For(const access::Principal& principal,
                                          ReviewLookup lookup);

  // The event as the principal may see it, or nullopt when it must not be sent.
  std::optional<event::v1::EventRecord> View(const event::v1::EventRecord& record);

 private:
  struct Seen {
    access::Audience audience;
    access::ReviewPublication publication;
    absl::Time until;
  };
  EventViewer(access::Principal principal, ReviewLookup lookup)
      : principal_(std::move(principal)), lookup_(std::move(lookup)) {}
  const Seen& SeenFor(const std::string& stream);

  const access::Principal principal_;
  const ReviewLookup lookup_;
  absl::flat_hash_map<std::string, Seen> streams_;
};

// True when `view`, what View() made of `record`, is not the stored event: its data or
// metadata were redacted, so it is not byte-exact.
bool IsRedacted(const event::v1::EventRecord& record, const event::v1::EventRecord& view);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_EVENT_VIEWER_H_
