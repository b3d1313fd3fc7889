#include "services/log/subscribe_reactor.h"

#include "absl/strings/str_cat.h"
#include "engine/log/message_budget.h"
#include "google/protobuf/unknown_field_set.h"
#include "services/server/grpc_status.h"

namespace irm::services {
namespace {

// Events per message at most; bytes are bounded by log::MessageBudget (the cursor's steps,
// and here the views of a step, which a redaction may have made larger).
constexpr size_t kEventsPerMessage = 4096;

}  // namespace

grpc::ServerWriteReactor<api::v1::SubscribeResponse>* SubscribeReactor::Start(
    subscription::LiveFeed* feed, SubscriptionRegistry* registry,
    subscription::SubscriptionCursor cursor, std::string description,
    std::unique_ptr<EventViewer> viewer, SubscribeStartWait start_wait) {
  auto reactor = std::make_shared<SubscribeReactor>(feed, registry, std::move(cursor));
  reactor->start_wait_ = std::move(start_wait);
  reactor->self_ = reactor;
  {
    absl::MutexLock lock(&reactor->mu_);
    reactor->viewer_ = std::move(viewer);
    if (reactor->cursor_.behind_start()) {
      std::weak_ptr<SubscribeReactor> weak = reactor;
      reactor->start_alarm_ = std::make_unique<grpc::Alarm>();
      reactor->start_alarm_->Set(
          absl::ToChronoTime(absl::Now() + reactor->start_wait_.limit), [weak](bool ok) {
            if (auto alive = weak.lock()) alive->OnStartWaitExpired(ok);
          });
    }
  }
  reactor->registry_id_ = registry->Add(std::move(description));
  reactor->Pump();
  return reactor.get();
}

SubscribeReactor::SubscribeReactor(subscription::LiveFeed* feed, SubscriptionRegistry* registry,
                                   subscription::SubscriptionCursor cursor)
    : feed_(feed), registry_(registry), cursor_(std::move(cursor)) {}

void SubscribeReactor::Pump() {
  absl::MutexLock lock(&mu_);
  waiting_ = false;
  if (finished_ || writing_) return;
  if (!pending_views_.empty()) {
    SendViews();
    return;
  }
  for (;;) {
    absl::StatusOr<subscription::SubscriptionCursor::Step> step = cursor_.Next(kEventsPerMessage);
    if (!step.ok()) {
      FinishLocked(ToGrpcStatus(step.status()));
      return;
    }
    if (!step->wait) {
      if (viewer_ != nullptr) {
        for (const subscription::SharedEvent& event : step->events) {
          if (auto view = viewer_->View(*event)) {
            const bool redacted = IsRedacted(*event, *view);
            pending_views_.emplace_back(*std::move(view), redacted);
          }
        }
        pending_step_ = *std::move(step);
        SendViews();
        return;
      }
      FillEvents(step->events);  // the shared stored bytes, as they are
      response_.set_checkpoint(step->checkpoint);
      response_.set_caught_up(step->caught_up);
      response_.set_head(step->head);
      registry_->Update(registry_id_, step->checkpoint, step->checkpoint >= step->head);
      writing_ = true;
      StartWrite(&response_);
      return;
    }
    registry_->Update(registry_id_, cursor_.last_checkpoint(), true);
    std::weak_ptr<SubscribeReactor> weak = self_;
    if (feed_->WaitFor(
            cursor_.wait_position(),
            [weak] {
              if (auto reactor = weak.lock()) reactor->Pump();
            },
            &wait_id_)) {
      waiting_ = true;
      return;
    }
    if (feed_->stopped()) {
      FinishLocked(grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          "irmd is shutting down; resubscribe from position " +
              std::to_string(cursor_.next_position())));
      return;
    }
    // The head moved between the cursor's look and the wait: go round again.
  }
}

void SubscribeReactor::SendViews() {
  response_.Clear();
  log::MessageBudget budget;
  while (!pending_views_.empty() && response_.events_size() < static_cast<int>(kEventsPerMessage) &&
         budget.TryAdd(pending_views_.front().first.ByteSizeLong())) {
    auto& [view, redacted] = pending_views_.front();
    if (redacted) response_.add_redacted_positions(view.position());
    *response_.add_events() = std::move(view);
    pending_views_.pop_front();
  }
  if (pending_views_.empty()) {
    response_.set_checkpoint(pending_step_.checkpoint);
    response_.set_caught_up(pending_step_.caught_up);
  } else {
    // The rest of the step follows in the next message: this one has examined up to its
    // last event.
    const auto& events = response_.events();
    response_.set_checkpoint(events.empty() ? 0 : events.rbegin()->position());
    response_.set_caught_up(false);
  }
  response_.set_head(pending_step_.head);
  registry_->Update(registry_id_, response_.checkpoint(),
                    response_.checkpoint() >= pending_step_.head);
  writing_ = true;
  StartWrite(&response_);
}

void SubscribeReactor::FillEvents(const std::vector<subscription::SharedEvent>& events) {
  response_.Clear();
  // Events from the feed's ring carry their serialized form, made once for all subscribers:
  // send those bytes as unknown fields numbered like `events` (the same wire bytes as a
  // decoded entry) rather than copying and re-encoding each event per subscriber. Only when
  // every event has it, so the order on the wire stays the events' order.
  bool all_encoded = true;
  for (const subscription::SharedEvent& event : events) {
    if (subscription::EncodedForm(event) == nullptr) all_encoded = false;
  }
  if (!all_encoded) {
    for (const subscription::SharedEvent& event : events) *response_.add_events() = *event;
    return;
  }
  google::protobuf::UnknownFieldSet* raw =
      response_.GetReflection()->MutableUnknownFields(&response_);
  for (const subscription::SharedEvent& event : events) {
    raw->AddLengthDelimited(api::v1::SubscribeResponse::kEventsFieldNumber,
                            *subscription::EncodedForm(event));
  }
}

void SubscribeReactor::FinishLocked(const grpc::Status& status) {
  if (finished_) return;
  finished_ = true;
  if (waiting_) feed_->Cancel(wait_id_);
  waiting_ = false;
  Finish(status);
}

void SubscribeReactor::OnStartWaitExpired(bool ok) {
  if (!ok) return;  // cancelled: the call ended
  absl::MutexLock lock(&mu_);
  if (finished_ || !cursor_.behind_start()) return;
  const uint64_t start = cursor_.next_position();
  std::string message = subscription::StartWaitExpiredMessage(
      feed_->head(), start, start_wait_.limit, start_wait_.cluster_head);
  absl::StrAppend(&message, "; resubscribe from position ", start,
                  " later, or on another node");
  FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, message));
}

void SubscribeReactor::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the subscriber went away"));
      return;
    }
  }
  Pump();
}

void SubscribeReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  // With a write in flight, OnWriteDone(false) follows and finishes the call.
  if (!writing_) FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "subscription cancelled"));
}

void SubscribeReactor::OnDone() {
  std::unique_ptr<grpc::Alarm> alarm;
  {
    absl::MutexLock lock(&mu_);
    alarm = std::move(start_alarm_);
    if (waiting_) feed_->Cancel(wait_id_);
    waiting_ = false;
    finished_ = true;
  }
  if (alarm) alarm->Cancel();  // its callback sees ok == false, or the reactor gone
  registry_->Remove(registry_id_);
  std::shared_ptr<SubscribeReactor> keep = std::move(self_);  // may delete this on return
}

}  // namespace irm::services
