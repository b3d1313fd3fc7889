// Fuzz target: gRPC request messages from arbitrary bytes, fed to irmd's real handlers
// in-process (fuzz_server.h). The first byte picks the RPC; the rest is parsed as its
// request message. Every call must end with a documented code, never UNKNOWN or INTERNAL
// and never a hang, and a call that fails must not have moved the log's head (a rejected
// command appends nothing).
#include <chrono>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_server.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "irm/api/v1/report.grpc.pb.h"
#include "irm/api/v1/review.grpc.pb.h"

namespace irm::fuzz {
namespace {

using namespace api::v1;  // NOLINT: the request and stub names of the four services

struct Stubs {
  std::unique_ptr<LogService::Stub> log;
  std::unique_ptr<ReviewService::Stub> review;
  std::unique_ptr<ReportService::Stub> report;
  std::unique_ptr<AdminService::Stub> admin;
};

Stubs& GetStubs() {
  static Stubs* stubs = [] {
    auto channel = FuzzServer::Get().channel();
    auto* s = new Stubs;
    s->log = LogService::NewStub(channel);
    s->review = ReviewService::NewStub(channel);
    s->report = ReportService::NewStub(channel);
    s->admin = AdminService::NewStub(channel);
    return s;
  }();
  return *stubs;
}

void SetDeadline(grpc::ClientContext& context, int milliseconds) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(milliseconds));
}

uint64_t Head() {
  grpc::ClientContext context;
  SetDeadline(context, 5000);
  LogInfo info;
  grpc::Status status = GetStubs().log->GetLogInfo(&context, GetLogInfoRequest(), &info);
  FUZZ_CHECK(status.ok(), status.error_message());
  return info.head_position();
}

template <typename Request>
bool Parse(const uint8_t* data, size_t size, Request* request) {
  return request->ParseFromArray(data, static_cast<int>(size));
}

template <typename Request, typename Response, typename Call>
grpc::Status Unary(const uint8_t* data, size_t size, Call call, bool* parsed) {
  Request request;
  *parsed = Parse(data, size, &request);
  if (!*parsed) return grpc::Status::OK;
  grpc::ClientContext context;
  SetDeadline(context, 10000);
  Response response;
  return call(&context, request, &response);
}

template <typename Request, typename Response, typename Call>
grpc::Status Streaming(const uint8_t* data, size_t size, Call call, int deadline_ms,
                       bool* parsed) {
  Request request;
  *parsed = Parse(data, size, &request);
  if (!*parsed) return grpc::Status::OK;
  grpc::ClientContext context;
  SetDeadline(context, deadline_ms);
  auto reader = call(&context, request);
  Response response;
  while (reader->Read(&response)) {
  }
  return reader->Finish();
}

}  // namespace
}  // namespace irm::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace irm::fuzz;  // NOLINT
  using namespace irm::api::v1;  // NOLINT
  if (size < 1) return 0;
  Stubs& s = GetStubs();
  const uint8_t rpc = data[0] % 18;
  ++data;
  --size;
  const uint64_t head_before = Head();
  bool parsed = false;
  bool subscribe = false;
  grpc::Status status;
  switch (rpc) {
    case 0:
      status = Unary<AppendRequest, AppendResponse>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.log->Append(c, r, o); }, &parsed);
      break;
    case 1:
      status = Streaming<ReadStreamRequest, ReadResponse>(
          data, size, [&](auto* c, auto& r) { return s.log->ReadStream(c, r); }, 10000, &parsed);
      break;
    case 2:
      status = Streaming<ReadAllRequest, ReadResponse>(
          data, size, [&](auto* c, auto& r) { return s.log->ReadAll(c, r); }, 10000, &parsed);
      break;
    case 3:
      status = Unary<GetStreamInfoRequest, StreamInfo>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.log->GetStreamInfo(c, r, o); },
          &parsed);
      break;
    case 4:
      status = Unary<GetLogInfoRequest, LogInfo>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.log->GetLogInfo(c, r, o); },
          &parsed);
      break;
    case 5:
      subscribe = true;
      status = Streaming<SubscribeRequest, SubscribeResponse>(
          data, size, [&](auto* c, auto& r) { return s.log->Subscribe(c, r); }, 30, &parsed);
      break;
    case 6:
      status = Unary<ReviewCommand, CommandResult>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.review->Execute(c, r, o); },
          &parsed);
      break;
    case 7:
      status = Unary<DrawYearsRequest, DrawResult>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.review->DrawYears(c, r, o); },
          &parsed);
      break;
    case 8:
      status = Unary<DrawReviewersRequest, DrawResult>(
          data, size,
          [&](auto* c, auto& r, auto* o) { return s.review->DrawReviewers(c, r, o); }, &parsed);
      break;
    case 9:
      status = Unary<GetReviewRequest, ReviewStatus>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.review->GetReview(c, r, o); },
          &parsed);
      break;
    case 10:
      status = Unary<ListReviewsRequest, ListReviewsResponse>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.review->ListReviews(c, r, o); },
          &parsed);
      break;
    case 11:
      status = Unary<GetCountryProfileRequest, CountryProfile>(
          data, size,
          [&](auto* c, auto& r, auto* o) { return s.review->GetCountryProfile(c, r, o); },
          &parsed);
      break;
    case 12:
      status = Unary<GetPipelineRequest, Pipeline>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.review->GetPipeline(c, r, o); },
          &parsed);
      break;
    case 13:
      status = Unary<NeedsReportRequest, NeedsReport>(
          data, size,
          [&](auto* c, auto& r, auto* o) { return s.report->GetNeedsReport(c, r, o); }, &parsed);
      break;
    case 14:
      status = Unary<ListSubscriptionsRequest, ListSubscriptionsResponse>(
          data, size,
          [&](auto* c, auto& r, auto* o) { return s.admin->ListSubscriptions(c, r, o); },
          &parsed);
      break;
    case 15:
      status = Unary<ListProjectionsRequest, ListProjectionsResponse>(
          data, size,
          [&](auto* c, auto& r, auto* o) { return s.admin->ListProjections(c, r, o); }, &parsed);
      break;
    case 16:
      status = Unary<RebuildProjectionRequest, RebuildProjectionResponse>(
          data, size,
          [&](auto* c, auto& r, auto* o) { return s.admin->RebuildProjection(c, r, o); },
          &parsed);
      break;
    case 17:
      status = Unary<BackupRequest, BackupResponse>(
          data, size, [&](auto* c, auto& r, auto* o) { return s.admin->Backup(c, r, o); },
          &parsed);
      FUZZ_CHECK(!parsed || !status.ok(), "the fuzz server has no backup handler");
      break;
  }
  if (!parsed) return 0;
  const grpc::StatusCode code = status.error_code();
  const std::string where = "rpc " + std::to_string(rpc) + ": code " + std::to_string(code) +
                            " " + status.error_message();
  FUZZ_CHECK(code != grpc::StatusCode::UNKNOWN && code != grpc::StatusCode::INTERNAL, where);
  FUZZ_CHECK(code != grpc::StatusCode::DEADLINE_EXCEEDED || subscribe, "hang: " + where);
  if (!status.ok() && !subscribe) {
    FUZZ_CHECK(Head() == head_before, "a failed call moved the head: " + where);
  }
  return 0;
}
