// Connection: how `irm` reaches irmd. Resolves the global flags, owns the gRPC channel,
// prepares each call's context and turns a failed call into the one-line error form.
//
// The channel is created on first use, so commands that never call the server (help,
// usage errors) never touch the network. Not thread-safe: one per process, used from main.
#ifndef IRM_CLI_CORE_CONNECTION_H_
#define IRM_CLI_CORE_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/log.grpc.pb.h"

namespace irm::cli {

inline constexpr char kDefaultServer[] = "127.0.0.1:50051";
// Deadline of unary calls; streaming reads have none.
inline constexpr absl::Duration kUnaryDeadline = absl::Seconds(30);

// The global flags shared by every subcommand, after defaults and environment.
struct GlobalOptions {
  std::string server = kDefaultServer;  // --server, else $IRM_SERVER
  std::string token;                    // --token, else $IRM_TOKEN; empty: none sent
  std::string tls_ca;                   // --tls-ca PEM file; empty: plaintext
  std::string tls_cert;                 // --tls-cert client certificate PEM (with tls_ca)
  std::string tls_key;                  // --tls-key its private key PEM
  bool json = false;                    // --json: machine output, one JSON object per line
  std::string request_id;  // --request-id, else $IRM_REQUEST_ID, else a random UUID
};

class Connection {
 public:
  explicit Connection(GlobalOptions options) : options_(std::move(options)) {}

  const GlobalOptions& options() const { return options_; }

  // The channel to options().server, created on first call. Fails (InvalidArgument) only
  // if a --tls-* file cannot be read or the TLS flags do not go together; an unreachable
  // server (or a refused TLS handshake) shows up on the first call.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel();

  // A LogService stub on Channel(); owned by this Connection.
  absl::StatusOr<api::v1::LogService::Stub*> Log();

  // Adds `x-request-id: <request_id>`, `authorization: Bearer <token>` when a token is set
  // and, if `unary`, the kUnaryDeadline deadline.
  void Prepare(grpc::ClientContext& context, bool unary) const;

  // The status of a finished call as absl::Status, same code. When the server could not
  // be reached the message reads "cannot reach irmd at HOST:PORT (<gRPC detail>)".
  absl::Status FromGrpc(const grpc::Status& status);

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::v1::LogService::Stub> log_stub_;
};

}  // namespace irm::cli

#endif  // IRM_CLI_CORE_CONNECTION_H_
