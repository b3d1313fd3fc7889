#include "services/server/tls.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "grpcpp/security/server_credentials.h"

namespace irm::services {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, " ", path, ": cannot read the file"));
  std::stringstream text;
  text << in.rdbuf();
  if (!absl::StrContains(text.str(), "-----BEGIN ")) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path, ": not a PEM file (no '-----BEGIN' line)"));
  }
  return text.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsServerCredentials(
    const std::string& cert_file, const std::string& key_file,
    const std::string& client_ca_file) {
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  IRM_ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(cert_file, "--tls-cert"));
  IRM_ASSIGN_OR_RETURN(pair.private_key, ReadPem(key_file, "--tls-key"));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!client_ca_file.empty()) {
    IRM_ASSIGN_OR_RETURN(options.pem_root_certs, ReadPem(client_ca_file, "--tls-client-ca"));
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace irm::services
