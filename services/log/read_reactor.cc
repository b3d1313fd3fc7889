#include "services/log/read_reactor.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "engine/common/status_macros.h"
#include "engine/log/message_budget.h"
#include "google/protobuf/unknown_field_set.h"
#include "services/server/grpc_status.h"

namespace irm::services {
namespace {

// Events per message at most. What bounds a message is its bytes: every chunk source reads
// at most log::kMessageEventBytes of events (log::MessageBudget), so that a client at gRPC's
// default 4 MiB receive limit reads any log; this only bounds the work of one step when
// events are tiny.
constexpr uint64_t kEventsPerMessage = 4096;

using Chunk = ReadReactor::Chunk;

// Decodes the encoded events of `chunk`, if it has them, into its events.
absl::Status Decode(Chunk& chunk) {
  if (chunk.encoded.empty()) return absl::OkStatus();
  chunk.events.resize(chunk.encoded.size());
  for (size_t i = 0; i < chunk.encoded.size(); ++i) {
    if (!chunk.events[i].ParseFromString(chunk.encoded[i])) {
      return absl::DataLossError("a stored event does not decode; run irm verify --data");
    }
  }
  chunk.encoded.clear();
  return absl::OkStatus();
}

}  // namespace

ReadReactor::ReadReactor(NextChunk next_chunk, uint64_t limit, Resume resume)
    : next_chunk_(std::move(next_chunk)),
      remaining_(limit == 0 ? UINT64_MAX : limit),
      resume_(resume) {
  SendNext();
}

void ReadReactor::OnWriteDone(bool ok) {
  if (!ok) {
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
    return;
  }
  SendNext();
}

void ReadReactor::SendNext() {
  if (last_sent_) {
    Finish(grpc::Status::OK);
    return;
  }
  absl::StatusOr<Chunk> chunk =
      next_chunk_(static_cast<size_t>(std::min(remaining_, kEventsPerMessage)));
  if (!chunk.ok()) {
    Finish(ToGrpcStatus(chunk.status()));
    return;
  }
  response_.Clear();
  size_t count = 0;
  if (!chunk->encoded.empty()) {
    google::protobuf::UnknownFieldSet* raw =
        response_.GetReflection()->MutableUnknownFields(&response_);
    for (std::string& bytes : chunk->encoded) {
      raw->AddLengthDelimited(api::v1::ReadResponse::kEventsFieldNumber)->swap(bytes);
    }
    count = chunk->encoded.size();
  } else {
    response_.mutable_events()->Reserve(static_cast<int>(chunk->events.size()));
    for (log::EventRecord& event : chunk->events) *response_.add_events() = std::move(event);
    count = chunk->events.size();
  }
  for (uint64_t position : chunk->redacted_positions) response_.add_redacted_positions(position);
  if (remaining_ != UINT64_MAX) remaining_ -= std::min<uint64_t>(remaining_, count);
  if (resume_ == Resume::kRevision) {
    response_.set_next_revision(chunk->next);
  } else {
    response_.set_next_position(chunk->next);
  }
  response_.set_reached_end(chunk->end);
  last_sent_ = chunk->end || count == 0 || remaining_ == 0;
  StartWrite(&response_);
}

ReadReactor::NextChunk FailedRead(absl::Status status) {
  return [status](size_t) -> absl::StatusOr<Chunk> { return status; };
}

ReadReactor::NextChunk StreamChunks(const log::EventLog* log, std::string stream,
                                    uint64_t from, uint64_t last, bool backward) {
  if (backward) from = std::min(from, last);
  bool done = !backward && from > last;
  return [log, stream = std::move(stream), from, last, backward,
          done](size_t max) mutable -> absl::StatusOr<Chunk> {
    Chunk chunk;
    if (!done) {
      log::ReadStreamOptions options;
      options.stream = stream;
      options.from_revision = from;
      options.direction = backward ? log::Direction::kBackward : log::Direction::kForward;
      options.max_count = static_cast<size_t>(
          std::min<uint64_t>(max, backward ? from + 1 : last - from + 1));
      options.max_bytes = log::kMessageEventBytes;
      IRM_ASSIGN_OR_RETURN(chunk.events, log->ReadStream(options));
      if (chunk.events.empty()) {
        done = true;
      } else {
        const uint64_t revision = chunk.events.back().revision();
        done = backward ? revision == 0 : revision >= last;
        from = backward ? (done ? 0 : revision - 1) : revision + 1;
      }
    }
    chunk.next = from;
    chunk.end = done;
    return chunk;
  };
}

ReadReactor::NextChunk LogChunks(const log::EventLog* log, uint64_t from, uint64_t end,
                                 bool backward) {
  if (backward) from = std::min(from, end);
  bool done = backward ? from == 0 : from > end;
  // Positions are dense, so the next position follows from the count.
  return [log, from, end, backward, done](size_t max) mutable -> absl::StatusOr<Chunk> {
    Chunk chunk;
    if (!done) {
      log::ReadAllOptions options;
      options.from_position = from;
      options.direction = backward ? log::Direction::kBackward : log::Direction::kForward;
      options.max_count =
          static_cast<size_t>(std::min<uint64_t>(max, backward ? from : end - from + 1));
      options.max_bytes = log::kMessageEventBytes;
      IRM_ASSIGN_OR_RETURN(chunk.encoded, log->ReadAllEncoded(options));
      const uint64_t count = chunk.encoded.size();
      if (count == 0) {
        done = true;
      } else {
        from = backward ? from - count : from + count;
        done = backward ? from == 0 : from > end;
      }
    }
    chunk.next = from;
    chunk.end = done;
    return chunk;
  };
}

ReadReactor::NextChunk Viewed(ReadReactor::NextChunk next, std::shared_ptr<EventViewer> viewer,
                              ReadReactor::Resume resume, bool backward) {
  if (viewer == nullptr) return next;
  // `pending`: views of the last chunk read that were not returned yet, and that chunk's
  // next and end.
  struct Pending {
    std::deque<std::pair<log::EventRecord, bool>> views;  // a view, and whether redacted
    uint64_t next = 0;
    bool end = false;
  };
  return [next = std::move(next), viewer = std::move(viewer), resume, backward,
          pending = std::make_shared<Pending>()](size_t max) -> absl::StatusOr<Chunk> {
    while (pending->views.empty()) {
      IRM_ASSIGN_OR_RETURN(Chunk chunk, next(max));
      IRM_RETURN_IF_ERROR(Decode(chunk));
      for (const log::EventRecord& event : chunk.events) {
        if (auto view = viewer->View(event)) {
          const bool redacted = IsRedacted(event, *view);
          pending->views.emplace_back(*std::move(view), redacted);
        }
      }
      pending->next = chunk.next;
      pending->end = chunk.end;
      if (pending->views.empty() && chunk.end) {
        Chunk out;
        out.next = chunk.next;
        out.end = true;
        return out;
      }
    }
    Chunk out;
    log::MessageBudget budget;
    while (!pending->views.empty() && out.events.size() < max &&
           budget.TryAdd(pending->views.front().first.ByteSizeLong())) {
      auto& [view, redacted] = pending->views.front();
      if (redacted) out.redacted_positions.push_back(view.position());
      out.events.push_back(std::move(view));
      pending->views.pop_front();
    }
    if (pending->views.empty()) {
      out.next = pending->next;
      out.end = pending->end;
    } else {
      // Views left over continue the read right after the last one returned.
      const log::EventRecord& last = out.events.back();
      const uint64_t at = resume == ReadReactor::Resume::kRevision ? last.revision()
                                                                   : last.position();
      out.next = backward ? at - 1 : at + 1;
    }
    return out;
  };
}

}  // namespace irm::services
