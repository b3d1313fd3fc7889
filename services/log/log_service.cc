#include "services/log/log_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "engine/access/authorize.h"
#include "engine/common/status_macros.h"
#include "services/server/grpc_status.h"
#include "services/log/log_conversions.h"
#include "services/log/read_reactor.h"
#include "services/log/subscribe_reactor.h"

namespace irm::services {
namespace {

absl::Status ShuttingDown() {
  return absl::UnavailableError("irmd is shutting down; retry when it is back");
}

// A read that fails at once with `status`.
ReadReactor::NextChunk FailedRead(absl::Status status) {
  return [status](size_t) -> absl::StatusOr<std::vector<log::EventRecord>> { return status; };
}

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// `next` with only what `viewer` lets through (all of it when null); never an empty chunk
// while the read has more.
ReadReactor::NextChunk Viewed(ReadReactor::NextChunk next, std::shared_ptr<EventViewer> viewer) {
  if (viewer == nullptr) return next;
  return [next = std::move(next),
          viewer = std::move(viewer)](size_t max) -> absl::StatusOr<std::vector<log::EventRecord>> {
    for (;;) {
      absl::StatusOr<std::vector<log::EventRecord>> events = next(max);
      if (!events.ok() || events->empty()) return events;
      std::vector<log::EventRecord> kept;
      for (const log::EventRecord& event : *events) {
        if (auto view = viewer->View(event)) kept.push_back(*std::move(view));
      }
      if (!kept.empty()) return kept;
    }
  };
}

// `stream`'s info as `viewer` sees it: only the events it lets through count, and the last
// revision and position are those of the last one; NotFound if it lets none through.
absl::StatusOr<log::StreamInfo> ViewedStreamInfo(log::EventLog* log, const std::string& stream,
                                                 EventViewer& viewer) {
  log::StreamInfo info;
  info.stream = stream;
  IRM_RETURN_IF_ERROR(log::ForEachStreamEvent(
      *log, stream, [&](log::EventRecord& event) -> absl::StatusOr<bool> {
        if (viewer.View(event).has_value()) {
          ++info.event_count;
          info.last_revision = event.revision();
          info.last_position = event.position();
        }
        return true;
      }));
  if (info.event_count == 0) {
    return absl::NotFoundError(absl::StrCat("stream ", stream, " has no events"));
  }
  return info;
}

}  // namespace

LogService::LogService(log::EventLog* log, subscription::LiveFeed* feed,
                       SubscriptionRegistry* registry, const Authenticator* auth,
                       ReviewLookup lookup)
    : log_(log), feed_(feed), registry_(registry), auth_(auth), lookup_(std::move(lookup)) {}

grpc::ServerUnaryReactor* LogService::Append(grpc::CallbackServerContext* context,
                                             const api::v1::AppendRequest* request,
                                             api::v1::AppendResponse* response) {
  if (draining_.load()) return FinishNow(context, ShuttingDown());
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishNow(context, caller.status());
  if (absl::Status s = access::AuthorizeAppend(*caller, request->stream(), request->import());
      !s.ok()) {
    return FinishNow(context, s);
  }
  absl::StatusOr<log::AppendRequest> append = FromApi(*request, access::ToProto(*caller));
  if (!append.ok()) return FinishNow(context, append.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  log_->AppendAsync(std::move(*append),
                    [reactor, response](absl::StatusOr<log::AppendResult> result) {
                      if (result.ok()) *response = ToApi(*result);
                      reactor->Finish(ToGrpcStatus(result.status()));
                    });
  return reactor;
}

grpc::ServerWriteReactor<api::v1::ReadResponse>* LogService::ReadStream(
    grpc::CallbackServerContext* context, const api::v1::ReadStreamRequest* request) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return new ReadReactor(FailedRead(caller.status()), 0);
  std::string state;
  int cycle = 0;
  if (access::BaseAudience(*caller) != access::Audience::kFull &&
      !ParseReviewStream(request->stream(), &state, &cycle)) {
    // Raw streams are the secretariat's: to others they do not exist.
    return new ReadReactor(
        FailedRead(absl::NotFoundError(absl::StrCat("stream ", request->stream(), " has no events"))),
        0);
  }
  const bool backward = request->backwards();
  std::optional<uint64_t> from;
  if (!request->from_end()) from = request->from_revision();
  if (request->from_end() && !backward) {
    // Forward from the end: nothing has been written after it yet.
    from = UINT64_MAX;
  }
  bool finished = false;
  auto next = [log = log_, stream = request->stream(), backward, from,
               finished](size_t max) mutable -> absl::StatusOr<std::vector<log::EventRecord>> {
    if (finished) return std::vector<log::EventRecord>();
    log::ReadStreamOptions options;
    options.stream = stream;
    options.from_revision = from;
    options.direction = backward ? log::Direction::kBackward : log::Direction::kForward;
    options.max_count = max;
    absl::StatusOr<std::vector<log::EventRecord>> events = log->ReadStream(options);
    if (events.ok() && !events->empty()) {
      uint64_t last = events->back().revision();
      if (backward && last == 0) finished = true;
      from = backward ? last - 1 : last + 1;
    }
    return events;
  };
  return new ReadReactor(Viewed(std::move(next), EventViewer::For(*caller, lookup_)),
                         request->limit());
}

grpc::ServerWriteReactor<api::v1::ReadResponse>* LogService::ReadAll(
    grpc::CallbackServerContext* context, const api::v1::ReadAllRequest* request) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return new ReadReactor(FailedRead(caller.status()), 0);
  const bool backward = request->backwards();
  // A forward read ends at the head as it stood when the read began, so an export is one
  // consistent prefix of the log.
  const uint64_t end = log_->HeadPosition();
  uint64_t from;
  if (backward) {
    from = request->from_end() || request->from_position() == 0 ? end : request->from_position();
  } else {
    from = request->from_end() ? end + 1 : std::max<uint64_t>(request->from_position(), 1);
  }
  // Sends the stored bytes without decoding them (ReadReactor); positions are dense, so the
  // next position follows from the count.
  auto next = [log = log_, backward, from,
               end](size_t max) mutable -> absl::StatusOr<std::vector<std::string>> {
    if (from == 0 || (!backward && from > end)) return std::vector<std::string>();
    log::ReadAllOptions options;
    options.from_position = from;
    options.direction = backward ? log::Direction::kBackward : log::Direction::kForward;
    options.max_count = backward ? max : std::min<uint64_t>(max, end - from + 1);
    absl::StatusOr<std::vector<std::string>> events = log->ReadAllEncoded(options);
    if (events.ok() && !events->empty()) {
      const uint64_t count = events->size();
      from = backward ? (from > count ? from - count : 0) : from + count;
    } else if (events.ok()) {
      from = 0;
    }
    return events;
  };
  std::shared_ptr<EventViewer> viewer = EventViewer::For(*caller, lookup_);
  if (viewer == nullptr) {
    return new ReadReactor(ReadReactor::NextEncodedChunk(std::move(next)), request->limit());
  }
  // A redacted read decodes each stored record so the viewer can cut it.
  ReadReactor::NextChunk decoded =
      [next = ReadReactor::NextEncodedChunk(std::move(next))](
          size_t max) -> absl::StatusOr<std::vector<log::EventRecord>> {
    absl::StatusOr<std::vector<std::string>> encoded = next(max);
    if (!encoded.ok()) return encoded.status();
    std::vector<log::EventRecord> events(encoded->size());
    for (size_t i = 0; i < encoded->size(); ++i) {
      if (!events[i].ParseFromString((*encoded)[i])) {
        return absl::DataLossError("a stored event does not decode; run irm verify --data");
      }
    }
    return events;
  };
  return new ReadReactor(Viewed(std::move(decoded), std::move(viewer)), request->limit());
}

grpc::ServerUnaryReactor* LogService::GetStreamInfo(grpc::CallbackServerContext* context,
                                                    const api::v1::GetStreamInfoRequest* request,
                                                    api::v1::StreamInfo* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishNow(context, caller.status());
  std::string state;
  int cycle = 0;
  if (access::BaseAudience(*caller) != access::Audience::kFull &&
      !ParseReviewStream(request->stream(), &state, &cycle)) {
    // Raw streams are the secretariat's: to others they do not exist.
    return FinishNow(context, absl::NotFoundError(
                                  absl::StrCat("stream ", request->stream(), " has no events")));
  }
  // Members and observers count only the events they may read.
  std::unique_ptr<EventViewer> viewer = EventViewer::For(*caller, lookup_);
  absl::StatusOr<log::StreamInfo> info =
      viewer == nullptr ? log_->GetStreamInfo(request->stream())
                        : ViewedStreamInfo(log_, request->stream(), *viewer);
  if (info.ok()) *response = ToApi(*info);
  return FinishNow(context, info.status());
}

grpc::ServerUnaryReactor* LogService::GetLogInfo(grpc::CallbackServerContext* context,
                                                 const api::v1::GetLogInfoRequest* request,
                                                 api::v1::LogInfo* response) {
  if (absl::Status s = auth_->Authenticate(*context).status(); !s.ok()) {
    return FinishNow(context, s);
  }
  response->set_head_position(log_->HeadPosition());
  return FinishNow(context, absl::OkStatus());
}

}  // namespace irm::services

namespace irm::services {
namespace {

class FailedWriteReactor final : public grpc::ServerWriteReactor<api::v1::SubscribeResponse> {
 public:
  explicit FailedWriteReactor(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

std::string DescribeSubscription(const api::v1::SubscribeRequest& request, uint64_t from) {
  std::string description = absl::StrCat("from=", from);
  if (!request.stream().empty()) absl::StrAppend(&description, " stream=", request.stream());
  if (!request.stream_prefix().empty()) {
    absl::StrAppend(&description, " stream_prefix=", request.stream_prefix());
  }
  if (request.types_size() > 0) {
    absl::StrAppend(&description, " types=", absl::StrJoin(request.types(), ","));
  }
  return description;
}

}  // namespace

grpc::ServerWriteReactor<api::v1::SubscribeResponse>* LogService::Subscribe(
    grpc::CallbackServerContext* context, const api::v1::SubscribeRequest* request) {
  if (draining_.load()) return new FailedWriteReactor(ShuttingDown());
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return new FailedWriteReactor(caller.status());
  absl::StatusOr<subscription::EventFilter> filter = subscription::EventFilter::Create(
      request->stream(), request->stream_prefix(),
      std::vector<std::string>(request->types().begin(), request->types().end()));
  if (!filter.ok()) return new FailedWriteReactor(filter.status());
  uint64_t from = 1;
  switch (request->start()) {
    case api::v1::SUBSCRIBE_FROM_START:
      from = 1;
      break;
    case api::v1::SUBSCRIBE_FROM_END:
      from = feed_->head() + 1;
      break;
    case api::v1::SUBSCRIBE_FROM_POSITION:
      if (request->from_position() == 0) {
        return new FailedWriteReactor(absl::InvalidArgumentError(
            "from_position 0 is not a position: positions start at 1 (or subscribe from start)"));
      }
      from = request->from_position();
      break;
    default:
      return new FailedWriteReactor(absl::InvalidArgumentError(
          "unknown subscription start; use start, end or a position"));
  }
  const uint64_t interval = request->checkpoint_interval() == 0 ? 1000 : request->checkpoint_interval();
  return SubscribeReactor::Start(feed_, registry_,
                                 subscription::SubscriptionCursor(feed_, std::move(*filter), from, interval),
                                 DescribeSubscription(*request, from),
                                 EventViewer::For(*caller, lookup_));
}

}  // namespace irm::services
