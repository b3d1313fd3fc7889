#include "services/log/log_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "engine/access/authorize.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/irg_sessions.h"
#include "engine/domain/review_stream.h"
#include "services/server/call_interceptor.h"
#include "services/server/grpc_status.h"
#include "services/log/log_conversions.h"
#include "services/log/read_reactor.h"
#include "services/log/subscribe_reactor.h"

namespace irm::services {
namespace {

absl::Status ShuttingDown() {
  return absl::UnavailableError("irmd is shutting down; retry when it is back");
}

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
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
    return log::StreamNotFoundError(stream);
  }
  return info;
}

}  // namespace

LogService::LogService(log::EventLog* log, subscription::LiveFeed* feed,
                       SubscriptionRegistry* registry, const Authenticator* auth,
                       ReviewLookup lookup, LogServiceClusterOptions cluster)
    : log_(log),
      feed_(feed),
      registry_(registry),
      auth_(auth),
      lookup_(std::move(lookup)),
      cluster_(std::move(cluster)) {}

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
  log::AppendRequest append = FromApi(*request, access::ToProto(*caller), RequestIdOf(*context));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  log_->AppendAsync(std::move(append),
                    [reactor, response](absl::StatusOr<log::AppendResult> result) {
                      if (result.ok()) *response = ToApi(*result);
                      reactor->Finish(ToGrpcStatus(result.status()));
                    });
  return reactor;
}

grpc::ServerWriteReactor<api::v1::ReadResponse>* LogService::ReadStream(
    grpc::CallbackServerContext* context, const api::v1::ReadStreamRequest* request) {
  constexpr ReadReactor::Resume kResume = ReadReactor::Resume::kRevision;
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return new ReadReactor(FailedRead(caller.status()), 0, kResume);
  if (access::BaseAudience(*caller) != access::Audience::kFull &&
      !access::IsOpenStream(request->stream())) {
    // Raw streams are the secretariat's: to others they do not exist.
    return new ReadReactor(
        FailedRead(log::StreamNotFoundError(request->stream())), 0, kResume);
  }
  // A forward read ends at the stream's last revision as it stood when the read began, as
  // a read of the log ends at its head then.
  absl::StatusOr<log::StreamInfo> info = log_->GetStreamInfo(request->stream());
  if (!info.ok()) return new ReadReactor(FailedRead(info.status()), 0, kResume);
  const bool backward = request->backwards();
  uint64_t from = request->from_revision();
  if (request->from_end()) from = backward ? info->last_revision : info->last_revision + 1;
  return new ReadReactor(
      Viewed(StreamChunks(log_, request->stream(), from, info->last_revision, backward),
             EventViewer::For(*caller, lookup_), kResume, backward),
      request->limit(), kResume);
}

grpc::ServerWriteReactor<api::v1::ReadResponse>* LogService::ReadAll(
    grpc::CallbackServerContext* context, const api::v1::ReadAllRequest* request) {
  constexpr ReadReactor::Resume kResume = ReadReactor::Resume::kPosition;
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return new ReadReactor(FailedRead(caller.status()), 0, kResume);
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
  // The stored bytes are sent without decoding them (ReadReactor), unless a redacted read
  // must decode each record so the viewer can cut it.
  return new ReadReactor(Viewed(LogChunks(log_, from, end, backward),
                                EventViewer::For(*caller, lookup_), kResume, backward),
                         request->limit(), kResume);
}

grpc::ServerUnaryReactor* LogService::GetStreamInfo(grpc::CallbackServerContext* context,
                                                    const api::v1::GetStreamInfoRequest* request,
                                                    api::v1::StreamInfo* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishNow(context, caller.status());
  if (access::BaseAudience(*caller) != access::Audience::kFull &&
      !access::IsOpenStream(request->stream())) {
    // Raw streams are the secretariat's: to others they do not exist.
    return FinishNow(context, log::StreamNotFoundError(request->stream()));
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
  const uint64_t head = log_->HeadPosition();
  response->set_head_position(head);
  response->set_event_count(head);  // positions are dense from 1
  return FinishNow(context, absl::OkStatus());
}

}  // namespace irm::services

namespace irm::services {
namespace {

// Positions scanned without a match before a checkpoint-only message, when the subscriber
// does not say (SubscribeRequest.checkpoint_interval).
constexpr uint64_t kDefaultCheckpointInterval = 1000;

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
      from = feed_->acknowledged_head() + 1;
      break;
    case api::v1::SUBSCRIBE_FROM_POSITION:
      if (request->from_position() == 0) {
        return new FailedWriteReactor(common::InvalidField(
            "from_position", "INVALID_POSITION",
            "from_position 0 is not a position: positions start at 1 (or subscribe from start)"));
      }
      from = request->from_position();
      if (cluster_.cluster_head) {
        // Cluster mode: a checkpoint from a node further ahead is waited for (the cursor
        // below); only one past the shared log's head as last seen in etcd is refused, and
        // only while this node reaches etcd (cut off, its last view may be stale).
        const uint64_t local = log_->HeadPosition();
        const uint64_t shared = std::max(cluster_.cluster_head(), local);
        if (from > shared + 1 && (!cluster_.connected || cluster_.connected())) {
          return new FailedWriteReactor(absl::OutOfRangeError(absl::StrCat(
              "from_position ", from, " is beyond the cluster's head ", shared,
              " (as this node last saw it in etcd; its own copy is at ", local,
              "); subscribe from at most ", shared + 1,
              " (the next event to be appended), or from end")));
        }
        break;
      }
      if (const uint64_t head = log_->HeadPosition(); from > head + 1) {
        // Accepting it would report checkpoints above the head: a consumer that saved one
        // would skip the events appended up to there.
        return new FailedWriteReactor(absl::OutOfRangeError(absl::StrCat(
            "from_position ", from, " is beyond the log's head ", head,
            "; subscribe from at most ", head + 1,
            " (the next event to be appended), or from end")));
      }
      break;
    default:
      return new FailedWriteReactor(common::InvalidField(
          "start", "INVALID_ENUM_VALUE",
          absl::StrCat("start is ",
                       api::v1::SubscribeStart_IsValid(request->start())
                           ? api::v1::SubscribeStart_Name(request->start())
                           : absl::StrCat(static_cast<int>(request->start())),
                       "; set SUBSCRIBE_FROM_START, SUBSCRIBE_FROM_END or "
                       "SUBSCRIBE_FROM_POSITION (with from_position)"),
          {{"allowed", "SUBSCRIBE_FROM_START, SUBSCRIBE_FROM_END, SUBSCRIBE_FROM_POSITION"}}));
  }
  const uint64_t interval = request->checkpoint_interval() == 0 ? kDefaultCheckpointInterval
                                                                : request->checkpoint_interval();
  const bool cluster = static_cast<bool>(cluster_.cluster_head);
  return SubscribeReactor::Start(
      feed_, registry_,
      subscription::SubscriptionCursor(feed_, std::move(*filter), from, interval,
                                       /*wait_for_start=*/cluster),
      DescribeSubscription(*request, from), EventViewer::For(*caller, lookup_),
      SubscribeStartWait{cluster_.subscribe_start_wait, cluster_.cluster_head});
}

}  // namespace irm::services
