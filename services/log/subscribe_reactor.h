// SubscribeReactor: one live subscription over gRPC server streaming.
//
// Drives a SubscriptionCursor: sends each step, and when the cursor has nothing to say,
// parks on the LiveFeed until the head moves. At most one message is in flight, so a client
// that stops reading holds one message of server memory, never more; the cursor then falls
// back to disk and catches up when the client reads again. Every message carries at most
// one message's worth of events (log::MessageBudget, a larger event alone): the cursor's
// steps are made so, and the views of a step, should a redaction make them larger, are
// split over several messages.
//
// Cluster mode (docs/cluster.md): a cursor made with `wait_for_start` may start past this
// node's copy; the reactor then parks on the feed until the copy reaches the start, for at
// most `StartWait::limit` (a gRPC alarm, no thread), and otherwise ends the call with
// UNAVAILABLE naming how far behind the copy is. The client's cancel ends the wait at once.
//
// Lifetime: owned through a shared_ptr to itself from creation until OnDone(); a feed wake
// or the alarm holds a weak_ptr, so a wake racing with the end of the call is harmless.
#ifndef IRM_SERVICES_LOG_SUBSCRIBE_REACTOR_H_
#define IRM_SERVICES_LOG_SUBSCRIBE_REACTOR_H_

#include <deque>
#include <functional>
#include <utility>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/alarm.h"
#include "engine/subscription/live_feed.h"
#include "engine/subscription/subscription_cursor.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/log.pb.h"
#include "services/server/event_viewer.h"
#include "services/server/subscription_registry.h"

namespace irm::services {

// How long a cursor behind its start may wait (see SubscribeReactor), and the cluster's head
// as this node last saw it, for the message when the wait runs out.
struct SubscribeStartWait {
  absl::Duration limit = absl::Seconds(30);
  std::function<uint64_t()> cluster_head;
};

class SubscribeReactor final : public grpc::ServerWriteReactor<api::v1::SubscribeResponse>,
                               public std::enable_shared_from_this<SubscribeReactor> {
 public:
  // Creates the reactor and starts sending. `feed` and `registry` must outlive the call.
  // `viewer` (nullptr: everything) decides what of each event the subscriber receives.
  static grpc::ServerWriteReactor<api::v1::SubscribeResponse>* Start(
      subscription::LiveFeed* feed, SubscriptionRegistry* registry,
      subscription::SubscriptionCursor cursor, std::string description,
      std::unique_ptr<EventViewer> viewer = nullptr,
      SubscribeStartWait start_wait = SubscribeStartWait());

  SubscribeReactor(subscription::LiveFeed* feed, SubscriptionRegistry* registry,
                   subscription::SubscriptionCursor cursor);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Pump();
  // Sends the next message of pending_views_: as many as one message carries; the step's
  // checkpoint and caught_up go with the last of them.
  void SendViews() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes response_ carry `events` in order (see the .cc for the shared encoded form).
  void FillEvents(const std::vector<subscription::SharedEvent>& events)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The start wait's alarm went off (ok: not cancelled).
  void OnStartWaitExpired(bool ok);

  subscription::LiveFeed* const feed_;
  SubscriptionRegistry* const registry_;
  SubscriptionRegistry::Id registry_id_ = 0;

  absl::Mutex mu_;
  subscription::SubscriptionCursor cursor_ ABSL_GUARDED_BY(mu_);
  api::v1::SubscribeResponse response_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_ ABSL_GUARDED_BY(mu_) = false;
  subscription::LiveFeed::WaitId wait_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::shared_ptr<SubscribeReactor> self_;  // released in OnDone
  SubscribeStartWait start_wait_;
  // Armed at the start while the cursor is behind its start; cancelled in OnDone.
  std::unique_ptr<grpc::Alarm> start_alarm_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<EventViewer> viewer_ ABSL_GUARDED_BY(mu_);
  // With a viewer: the views of pending_step_'s events not sent yet.
  // Each with whether it is redacted (IsRedacted).
  std::deque<std::pair<event::v1::EventRecord, bool>> pending_views_ ABSL_GUARDED_BY(mu_);
  subscription::SubscriptionCursor::Step pending_step_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::services

#endif  // IRM_SERVICES_LOG_SUBSCRIBE_REACTOR_H_
