#include "cli/connection.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace irm::cli {
namespace {

// Events can be large and reads come in chunks; allow big responses.
constexpr int kMaxReceiveBytes = 64 << 20;

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connection::Channel() {
  if (channel_ != nullptr) return channel_;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls_ca.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    std::ifstream file(options_.tls_ca, std::ios::binary);
    std::stringstream pem;
    pem << file.rdbuf();
    if (!file || pem.str().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("cannot read --tls-ca file '", options_.tls_ca,
                                                     "': expected a PEM certificate"));
    }
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pem.str();
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  channel_ = grpc::CreateCustomChannel(options_.server, credentials, arguments);
  return channel_;
}

absl::StatusOr<api::v1::LogService::Stub*> Connection::Log() {
  if (log_stub_ == nullptr) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Channel();
    if (!channel.ok()) return channel.status();
    log_stub_ = api::v1::LogService::NewStub(*channel);
  }
  return log_stub_.get();
}

void Connection::Prepare(grpc::ClientContext& context, bool unary) const {
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  if (unary) context.set_deadline(absl::ToChronoTime(absl::Now() + kUnaryDeadline));
}

absl::Status Connection::FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  auto code = static_cast<absl::StatusCode>(status.error_code());
  std::string message = status.error_message();
  // A server that answered leaves the channel READY; UNAVAILABLE from irmd itself
  // (shutting down, disk trouble) keeps its own message.
  bool unreachable = code == absl::StatusCode::kUnavailable && channel_ != nullptr &&
                     channel_->GetState(false) != GRPC_CHANNEL_READY;
  if (unreachable) {
    message = absl::StrCat("cannot reach irmd at ", options_.server, " (", message, ")");
  }
  return absl::Status(code, message);
}

}  // namespace irm::cli
