#include "services/server/grpc_status.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "google/protobuf/util/time_util.h"
#include "google/rpc/error_details.pb.h"

namespace irm::services {

namespace {

// A status message travels in a trailing metadata header, which gRPC limits (8 KiB by
// default); a message quoting a hostile 100 KB value would turn into RESOURCE_EXHAUSTED
// "metadata size exceeds limit" and hide the real answer. The details travel in another
// header of the same trailer (base64, a third larger), so their texts are cut shorter.
constexpr size_t kMaxMessageBytes = 2048;
constexpr size_t kMaxDetailBytes = 512;

std::string Bounded(absl::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return absl::StrCat(text.substr(0, cut), "... (", text.size() - cut,
                      " more bytes of this message cut)");
}

}  // namespace

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status out;
  if (status.ok()) return out;
  out.set_code(static_cast<int>(status.code()));
  out.set_message(Bounded(status.message(), kMaxMessageBytes));

  google::rpc::ErrorInfo info;
  info.set_domain(kErrorDomain);
  if (std::optional<common::ErrorReason> reason = common::GetErrorReason(status)) {
    info.set_reason(reason->reason);
    for (const auto& [key, value] : reason->metadata) {
      (*info.mutable_metadata())[key] = Bounded(value, kMaxDetailBytes);
    }
  } else {
    info.set_reason(absl::StatusCodeToString(status.code()));
  }
  out.add_details()->PackFrom(info);

  if (std::optional<common::FieldViolation> field = common::GetFieldViolation(status)) {
    google::rpc::BadRequest bad_request;
    google::rpc::BadRequest::FieldViolation* violation = bad_request.add_field_violations();
    violation->set_field(Bounded(field->field, kMaxDetailBytes));
    violation->set_description(Bounded(field->description, kMaxDetailBytes));
    out.add_details()->PackFrom(bad_request);
  }

  std::optional<absl::Duration> delay = common::GetRetryDelay(status);
  if (!delay.has_value() && (status.code() == absl::StatusCode::kUnavailable ||
                             status.code() == absl::StatusCode::kResourceExhausted)) {
    delay = kDefaultRetryDelay;
  }
  if (delay.has_value()) {
    google::rpc::RetryInfo retry;
    *retry.mutable_retry_delay() = google::protobuf::util::TimeUtil::MillisecondsToDuration(
        absl::ToInt64Milliseconds(*delay));
    out.add_details()->PackFrom(retry);
  }
  return out;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details = ToRpcStatus(status);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), details.message(),
                      details.SerializeAsString());
}

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace irm::services
