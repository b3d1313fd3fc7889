#include "services/read_reactor.h"

#include <algorithm>

#include "services/grpc_status.h"

namespace irm::services {
namespace {

// Events per message: large enough to amortise per-message costs, small enough to keep
// messages far below gRPC's 4 MiB default for typical events.
constexpr uint64_t kChunkEvents = 256;

}  // namespace

ReadReactor::ReadReactor(NextChunk next_chunk, uint64_t limit)
    : next_chunk_(std::move(next_chunk)), remaining_(limit == 0 ? UINT64_MAX : limit) {
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
  if (remaining_ == 0) {
    Finish(grpc::Status::OK);
    return;
  }
  absl::StatusOr<std::vector<log::EventRecord>> events =
      next_chunk_(static_cast<size_t>(std::min(remaining_, kChunkEvents)));
  if (!events.ok()) {
    Finish(ToGrpcStatus(events.status()));
    return;
  }
  if (events->empty()) {
    Finish(grpc::Status::OK);
    return;
  }
  remaining_ -= events->size();
  response_.Clear();
  response_.mutable_events()->Reserve(static_cast<int>(events->size()));
  for (log::EventRecord& event : *events) *response_.add_events() = std::move(event);
  StartWrite(&response_);
}

}  // namespace irm::services
