#include "services/log/read_reactor.h"

#include <algorithm>

#include "google/protobuf/unknown_field_set.h"
#include "services/server/grpc_status.h"

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

ReadReactor::ReadReactor(NextEncodedChunk next_encoded_chunk, uint64_t limit)
    : next_encoded_chunk_(std::move(next_encoded_chunk)),
      remaining_(limit == 0 ? UINT64_MAX : limit) {
  SendNext();
}

absl::StatusOr<size_t> ReadReactor::FillNext(size_t max) {
  response_.Clear();
  if (next_encoded_chunk_) {
    absl::StatusOr<std::vector<std::string>> events = next_encoded_chunk_(max);
    if (!events.ok()) return events.status();
    google::protobuf::UnknownFieldSet* raw =
        response_.GetReflection()->MutableUnknownFields(&response_);
    for (std::string& bytes : *events) {
      raw->AddLengthDelimited(api::v1::ReadResponse::kEventsFieldNumber)->swap(bytes);
    }
    return events->size();
  }
  absl::StatusOr<std::vector<log::EventRecord>> events = next_chunk_(max);
  if (!events.ok()) return events.status();
  response_.mutable_events()->Reserve(static_cast<int>(events->size()));
  for (log::EventRecord& event : *events) *response_.add_events() = std::move(event);
  return events->size();
}

void ReadReactor::SendNext() {
  if (remaining_ == 0) {
    Finish(grpc::Status::OK);
    return;
  }
  absl::StatusOr<size_t> count = FillNext(static_cast<size_t>(std::min(remaining_, kChunkEvents)));
  if (!count.ok()) {
    Finish(ToGrpcStatus(count.status()));
    return;
  }
  if (*count == 0) {
    Finish(grpc::Status::OK);
    return;
  }
  remaining_ -= *count;
  StartWrite(&response_);
}

}  // namespace irm::services
