#include "engine/log/event_log.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"

namespace irm::log {

std::string ExpectedRevision::ToString() const {
  switch (kind) {
    case Kind::kAny:
      return "any";
    case Kind::kNoStream:
      return "no_stream";
    case Kind::kExists:
      return "exists";
    case Kind::kExact:
      return absl::StrCat(revision);
  }
  return "?";
}

absl::Status StreamNotFoundError(absl::string_view stream) {
  return common::WithReason(
      absl::NotFoundError(absl::StrCat("stream ", common::Quote(stream), " has no events")),
      "STREAM_NOT_FOUND", {{"stream", common::Escape(stream)}});
}

absl::StatusOr<AppendResult> EventLog::Append(AppendRequest request) {
  std::promise<absl::StatusOr<AppendResult>> promise;
  std::future<absl::StatusOr<AppendResult>> future = promise.get_future();
  AppendAsync(std::move(request), [&promise](absl::StatusOr<AppendResult> result) {
    promise.set_value(std::move(result));
  });
  return future.get();
}

absl::Status ForEachStreamEvent(const EventLog& log, const std::string& stream,
                                const std::function<absl::StatusOr<bool>(EventRecord&)>& visit) {
  constexpr size_t kChunk = 1000;
  ReadStreamOptions options;
  options.stream = stream;
  options.from_revision = 0;
  options.max_count = kChunk;
  for (;;) {
    absl::StatusOr<std::vector<EventRecord>> events = log.ReadStream(options);
    if (absl::IsNotFound(events.status())) return absl::OkStatus();
    if (!events.ok()) return events.status();
    if (events->empty()) return absl::OkStatus();
    const uint64_t next = events->back().revision() + 1;  // before `visit` may move events
    for (EventRecord& event : *events) {
      absl::StatusOr<bool> more = visit(event);
      if (!more.ok()) return more.status();
      if (!*more) return absl::OkStatus();
    }
    if (events->size() < kChunk) return absl::OkStatus();
    options.from_revision = next;
  }
}

const char* ContentTypeName(event::v1::ContentType content_type) {
  switch (content_type) {
    case event::v1::CONTENT_TYPE_JSON:
      return "json";
    case event::v1::CONTENT_TYPE_PROTOBUF:
      return "protobuf";
    default:
      return "unspecified";
  }
}

}  // namespace irm::log
