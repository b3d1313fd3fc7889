#include "services/server/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace irm::services {

namespace {

// A status message travels in a trailing metadata header, which gRPC limits (8 KiB by
// default); a message quoting a hostile 100 KB value would turn into RESOURCE_EXHAUSTED
// "metadata size exceeds limit" and hide the real answer.
constexpr size_t kMaxMessageBytes = 2048;

std::string Bounded(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  size_t cut = kMaxMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return absl::StrCat(message.substr(0, cut), "... (", message.size() - cut,
                      " more bytes of this message cut)");
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), Bounded(status.message()));
}

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace irm::services
