// TLS for irmd: server credentials from PEM files (--tls-cert, --tls-key, --tls-client-ca).
// Pure function of the files; thread-safe.
#ifndef IRM_SERVICES_SERVER_TLS_H_
#define IRM_SERVICES_SERVER_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace irm::services {

// TLS credentials serving `cert_file` (PEM chain) with `key_file` (PEM key). With
// `client_ca_file`, clients must present a certificate signed by that CA, else the
// handshake fails. NotFound/InvalidArgument name the file that is missing or not PEM.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsServerCredentials(
    const std::string& cert_file, const std::string& key_file,
    const std::string& client_ca_file);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_TLS_H_
