#include "services/http/sse_session.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/codec/event_json.h"
#include "nlohmann/json.hpp"

namespace irm::services::http {
namespace {

constexpr size_t kEventsPerStep = 256;

// The `error` event that ends a stream: {"code": CODE, "message": MESSAGE}.
std::string ErrorEvent(const std::string& code, const std::string& message) {
  nlohmann::ordered_json error = {{"code", code}, {"message", message}};
  return absl::StrCat("event: error\ndata: ", codec::DumpCompact(error), "\n\n");
}

}  // namespace

SseSession::SseSession(subscription::LiveFeed* feed, SubscriptionRegistry* registry,
                       HttpAccess::EventViewFn view, std::string label,
                       subscription::SubscriptionCursor cursor, std::string description,
                       const std::atomic<bool>* stopping, Options options)
    : feed_(feed),
      registry_(registry),
      view_(std::move(view)),
      label_(std::move(label)),
      cursor_(std::move(cursor)),
      stopping_(stopping),
      options_(options),
      registry_id_(registry->Add(std::move(description))),
      last_id_(cursor_.last_checkpoint()),
      last_write_(absl::Now()),
      start_deadline_(options_.start_wait == absl::InfiniteDuration()
                          ? absl::InfiniteFuture()
                          : last_write_ + options_.start_wait) {}

SseSession::~SseSession() { registry_->Remove(registry_id_); }

bool SseSession::Write(httplib::DataSink& sink, const std::string& text) {
  last_write_ = absl::Now();
  return sink.write(text.data(), text.size());
}

bool SseSession::Pump(httplib::DataSink& sink) {
  if (!started_) {
    started_ = true;
    return Write(sink, absl::StrCat("retry: ", absl::ToInt64Milliseconds(options_.retry),
                                    "\n: irmd events from position ", cursor_.next_position(),
                                    " as ", label_, "\n\n"));
  }
  if (stopping_->load() || feed_->stopped()) return EndForShutdown(sink);
  absl::StatusOr<subscription::SubscriptionCursor::Step> step = cursor_.Next(kEventsPerStep);
  if (!step.ok()) {
    Write(sink, ErrorEvent(absl::StatusCodeToString(step.status().code()),
                           std::string(step.status().message())));
    sink.done();
    return true;
  }
  if (step->wait) {
    if (cursor_.behind_start() && absl::Now() >= start_deadline_) {
      Write(sink, StartWaitExpired());
      sink.done();
      return true;
    }
    registry_->Update(registry_id_, cursor_.last_checkpoint(), true);
    if (WaitForFeed()) {
      // Said now: once irmd stops, httplib calls no provider again.
      if (stopping_->load()) return EndForShutdown(sink);
      return true;
    }
    if (cursor_.behind_start()) {
      if (absl::Now() >= start_deadline_) return true;  // the next turn ends the stream
      return Write(sink, absl::StrCat(": heartbeat; this node's copy of the log is at position ",
                                      feed_->head(), ", waiting for it to reach ",
                                      cursor_.next_position() - 1, "\n\n"));
    }
    return Write(sink, ": heartbeat\n\n");
  }
  std::string out;
  for (const subscription::SharedEvent& event : step->events) {
    std::optional<HttpAccess::ViewedEvent> view = view_(*event);
    if (!view.has_value()) continue;
    codec::EventJsonOptions options;
    options.redacted = view->redacted;
    absl::StrAppend(&out, "id: ", event->position(), "\ndata: ",
                    codec::EventToJsonLine(view->record, options), "\n\n");
    last_id_ = event->position();
  }
  if (step->checkpoint > last_id_) {
    absl::StrAppend(&out, "id: ", step->checkpoint, "\n\n");
    last_id_ = step->checkpoint;
  }
  registry_->Update(registry_id_, step->checkpoint, step->checkpoint >= step->head);
  if (out.empty()) return true;
  return Write(sink, out);
}

bool SseSession::EndForShutdown(httplib::DataSink& sink) {
  Write(sink, absl::StrCat(": irmd is shutting down; reconnect with Last-Event-ID ", last_id_,
                           "\n\n"));
  sink.done();
  return true;
}

bool SseSession::WaitForFeed() {
  {
    absl::MutexLock lock(&wake_->mu);
    wake_->woken = false;
  }
  std::weak_ptr<WakeFlag> weak = wake_;
  subscription::LiveFeed::WaitId id = 0;
  if (!feed_->WaitFor(
          cursor_.wait_position(),
          [weak] {
            if (auto flag = weak.lock()) {
              absl::MutexLock lock(&flag->mu);
              flag->woken = true;
            }
          },
          &id)) {
    return true;  // the head moved already, or the feed stopped: look again
  }
  absl::Time deadline = last_write_ + options_.heartbeat;
  if (cursor_.behind_start()) deadline = std::min(deadline, start_deadline_);
  bool woken = false;
  for (;;) {
    absl::MutexLock lock(&wake_->mu);
    woken = wake_->mu.AwaitWithDeadline(absl::Condition(&wake_->woken),
                                        std::min(deadline, absl::Now() + absl::Seconds(1)));
    if (woken || absl::Now() >= deadline || stopping_->load()) break;
  }
  if (!woken) feed_->Cancel(id);
  return woken || stopping_->load();
}

std::string SseSession::StartWaitExpired() const {
  const uint64_t start = cursor_.next_position();
  std::string message = subscription::StartWaitExpiredMessage(
      feed_->head(), start, options_.start_wait, options_.cluster_head);
  absl::StrAppend(&message, "; reconnect with Last-Event-ID ", start - 1,
                  " later, or to another node");
  return ErrorEvent("UNAVAILABLE", message);
}

}  // namespace irm::services::http
