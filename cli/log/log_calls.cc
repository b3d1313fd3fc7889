#include "cli/log/log_calls.h"

#include <algorithm>
#include <memory>

#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

using api::v1::LogService;
using api::v1::ReadResponse;

// Drains `reader`, calling `callback` per event; cancels the call on callback failure.
// `next` picks the continuation field of the call's read.
absl::Status Drain(Connection& connection, grpc::ClientContext& context,
                   grpc::ClientReader<ReadResponse>& reader, const EventCallback& callback,
                   uint64_t (ReadResponse::*next)() const, ReadEnd* end) {
  ReadResponse response;
  ReadEnd last;
  absl::Status callback_status;
  while (callback_status.ok() && reader.Read(&response)) {
    const auto& redacted = response.redacted_positions();
    for (const event::v1::EventRecord& record : response.events()) {
      callback_status = callback(
          record, std::find(redacted.begin(), redacted.end(), record.position()) != redacted.end());
      if (!callback_status.ok()) break;
    }
    last.reached_end = response.reached_end();
    last.next = (response.*next)();
  }
  if (!callback_status.ok()) {
    context.TryCancel();
    reader.Finish();
    return callback_status;
  }
  IRM_RETURN_IF_ERROR(connection.FromGrpc(reader.Finish()));
  if (end != nullptr) *end = last;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<api::v1::AppendResponse> CallAppend(Connection& connection,
                                                   const api::v1::AppendRequest& request) {
  IRM_ASSIGN_OR_RETURN(LogService::Stub * stub, connection.Log());
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/true);
  api::v1::AppendResponse response;
  IRM_RETURN_IF_ERROR(connection.FromGrpc(stub->Append(&context, request, &response)));
  return response;
}

absl::Status CallReadAll(Connection& connection, const api::v1::ReadAllRequest& request,
                         const EventCallback& callback, ReadEnd* end) {
  IRM_ASSIGN_OR_RETURN(LogService::Stub * stub, connection.Log());
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/false);
  std::unique_ptr<grpc::ClientReader<ReadResponse>> reader = stub->ReadAll(&context, request);
  return Drain(connection, context, *reader, callback, &ReadResponse::next_position, end);
}

absl::Status CallReadStream(Connection& connection, const api::v1::ReadStreamRequest& request,
                            const EventCallback& callback, ReadEnd* end) {
  IRM_ASSIGN_OR_RETURN(LogService::Stub * stub, connection.Log());
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/false);
  std::unique_ptr<grpc::ClientReader<ReadResponse>> reader = stub->ReadStream(&context, request);
  return Drain(connection, context, *reader, callback, &ReadResponse::next_revision, end);
}

absl::StatusOr<api::v1::StreamInfo> CallGetStreamInfo(Connection& connection,
                                                      const std::string& stream) {
  IRM_ASSIGN_OR_RETURN(LogService::Stub * stub, connection.Log());
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/true);
  api::v1::GetStreamInfoRequest request;
  request.set_stream(stream);
  api::v1::StreamInfo response;
  IRM_RETURN_IF_ERROR(connection.FromGrpc(stub->GetStreamInfo(&context, request, &response)));
  return response;
}

absl::StatusOr<api::v1::LogInfo> CallGetLogInfo(Connection& connection) {
  IRM_ASSIGN_OR_RETURN(LogService::Stub * stub, connection.Log());
  grpc::ClientContext context;
  connection.Prepare(context, /*unary=*/true);
  api::v1::LogInfo response;
  IRM_RETURN_IF_ERROR(
      connection.FromGrpc(stub->GetLogInfo(&context, api::v1::GetLogInfoRequest(), &response)));
  return response;
}

}  // namespace irm::cli
