#include "cli/core/connection.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/support/log.h"

namespace irm::cli {
namespace {

// Reads do not depend on this: irmd sends at most about 1 MiB of events a message
// (engine/log/message_budget.h), and an event alone fits gRPC's default 4 MiB. It is raised
// for the few other answers that can grow with the log (reports, histories) and for events
// stored by an older irmd that allowed larger ones.
constexpr int kMaxReceiveBytes = 64 << 20;

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* flag) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream pem;
  pem << file.rdbuf();
  if (!file || pem.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", flag, " file '", path, "': expected a PEM file"));
  }
  return pem.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connection::Channel() {
  if (channel_ != nullptr) return channel_;
  // A failed call is reported as one line from its status; gRPC's own log lines (e.g. a TLS
  // handshake failure) would make it several. GRPC_VERBOSITY set by the user keeps them.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) gpr_set_log_function([](gpr_log_func_args*) {});
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls_ca.empty()) {
    if (!options_.tls_cert.empty() || !options_.tls_key.empty()) {
      return absl::InvalidArgumentError(
          "--tls-cert and --tls-key need --tls-ca: client certificates are sent only over TLS");
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    if (options_.tls_cert.empty() != options_.tls_key.empty()) {
      return absl::InvalidArgumentError(
          "--tls-cert and --tls-key go together: give both or neither");
    }
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = ReadPem(options_.tls_ca, "--tls-ca");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!options_.tls_cert.empty()) {
      absl::StatusOr<std::string> cert = ReadPem(options_.tls_cert, "--tls-cert");
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = ReadPem(options_.tls_key, "--tls-key");
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
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
  if (!options_.request_id.empty()) context.AddMetadata("x-request-id", options_.request_id);
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
