#include "tests/projection_check.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "irm/api/v1/admin.grpc.pb.h"

namespace irm::tests {
namespace {

std::chrono::system_clock::time_point Deadline(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

}  // namespace

absl::Status CheckProjectionsEqualRebuild(const std::shared_ptr<grpc::Channel>& channel,
                                          absl::Duration patience,
                                          std::vector<std::string>* checked) {
  std::unique_ptr<api::v1::AdminService::Stub> stub = api::v1::AdminService::NewStub(channel);
  const absl::Time give_up = absl::Now() + patience;
  api::v1::ListProjectionsResponse list;
  for (;;) {
    grpc::ClientContext context;
    context.set_deadline(Deadline(10));
    list.Clear();
    grpc::Status status = stub->ListProjections(&context, api::v1::ListProjectionsRequest(), &list);
    if (!status.ok()) {
      return absl::UnavailableError(absl::StrCat("ListProjections: ", status.error_message()));
    }
    bool caught_up = list.projections_size() > 0;
    for (const api::v1::ProjectionLag& lag : list.projections()) {
      if (!lag.error().empty()) {
        return absl::InternalError(absl::StrCat("projection ", lag.name(), " stopped: ", lag.error()));
      }
      if (lag.checkpoint() != list.head()) caught_up = false;
    }
    if (caught_up) break;
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          "projections did not catch up with head ", list.head(), ": ", list.ShortDebugString()));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  for (const api::v1::ProjectionLag& lag : list.projections()) {
    grpc::ClientContext context;
    context.set_deadline(Deadline(120));
    api::v1::RebuildProjectionRequest request;
    request.set_name(lag.name());
    api::v1::RebuildProjectionResponse response;
    grpc::Status status = stub->RebuildProjection(&context, request, &response);
    if (!status.ok()) {
      return absl::InternalError(
          absl::StrCat("rebuilding ", lag.name(), ": ", status.error_message()));
    }
    if (!response.equal() || response.digest_before() != response.digest_after()) {
      return absl::DataLossError(absl::StrCat("projection ", lag.name(),
                                              " differs from a rebuild: ",
                                              response.ShortDebugString()));
    }
    if (checked != nullptr) checked->push_back(lag.name());
  }
  return absl::OkStatus();
}

}  // namespace irm::tests
