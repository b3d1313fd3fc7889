// Authenticator: who is calling, from the call's `authorization: Bearer <token>` metadata.
//
// With an --auth file, tokens are looked up by their SHA-256 among the file's principals;
// a call without a token or with an unknown one is UNAUTHENTICATED. Reload() re-reads the file
// (irmd does so on SIGHUP); a file that does not parse leaves the principals in force as they
// were. Without a file (an open development server, loopback only) every call is the
// development principal. Thread-safe: Authenticate() may run on any gRPC thread while
// Reload() runs on another.
#ifndef IRM_SERVICES_SERVER_AUTHENTICATOR_H_
#define IRM_SERVICES_SERVER_AUTHENTICATOR_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "engine/access/principal.h"
#include "engine/access/token_file.h"
#include "grpcpp/server_context.h"

namespace irm::services {

class Authenticator {
 public:
  // Every call is access::DevelopmentPrincipal().
  static std::unique_ptr<Authenticator> Open();
  // Principals from the --auth file at `path`; the file's errors name it and the bad field.
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromFile(const std::string& path);

  // Re-reads the file. On error the old principals stay and the error is returned.
  // Returns the number of principals now in force. A no-op (0) for an open server.
  absl::StatusOr<size_t> Reload();

  // The caller of `context`. UNAUTHENTICATED without a bearer token or with an unknown one.
  absl::StatusOr<access::Principal> Authenticate(const grpc::ServerContextBase& context) const;

  // The same from the value of the `authorization` metadata (nullptr: none was sent).
  absl::StatusOr<access::Principal> AuthenticateHeader(absl::string_view* authorization) const;

  bool open() const { return path_.empty(); }

 private:
  explicit Authenticator(std::string path) : path_(std::move(path)) {}

  const std::string path_;  // "" for an open server
  mutable absl::Mutex mu_;
  std::shared_ptr<const access::PrincipalTable> table_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_AUTHENTICATOR_H_
