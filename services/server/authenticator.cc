#include "services/server/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace irm::services {
namespace {

constexpr absl::string_view kBearer = "bearer ";

}  // namespace

std::unique_ptr<Authenticator> Authenticator::Open() {
  return std::unique_ptr<Authenticator>(new Authenticator(""));
}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromFile(const std::string& path) {
  std::unique_ptr<Authenticator> auth(new Authenticator(path));
  absl::StatusOr<size_t> loaded = auth->Reload();
  if (!loaded.ok()) return loaded.status();
  return auth;
}

absl::StatusOr<size_t> Authenticator::Reload() {
  if (path_.empty()) return 0;
  absl::StatusOr<access::PrincipalTable> table = access::LoadTokenFile(path_);
  if (!table.ok()) return table.status();
  auto shared = std::make_shared<const access::PrincipalTable>(*std::move(table));
  const size_t count = shared->size();
  absl::MutexLock lock(&mu_);
  table_ = std::move(shared);
  return count;
}

absl::StatusOr<access::Principal> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  if (path_.empty()) return access::DevelopmentPrincipal();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return AuthenticateHeader(nullptr);
  absl::string_view value(it->second.data(), it->second.size());
  return AuthenticateHeader(&value);
}

absl::StatusOr<access::Principal> Authenticator::AuthenticateHeader(
    absl::string_view* authorization) const {
  if (path_.empty()) return access::DevelopmentPrincipal();
  if (authorization == nullptr) {
    return absl::UnauthenticatedError(
        "no credentials: send 'authorization: Bearer <token>' metadata (irm --token T or "
        "IRM_TOKEN)");
  }
  absl::string_view value = *authorization;
  if (value.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
    return absl::UnauthenticatedError("the authorization metadata is not 'Bearer <token>'");
  }
  absl::string_view token = absl::StripAsciiWhitespace(value.substr(kBearer.size()));
  std::shared_ptr<const access::PrincipalTable> table;
  {
    absl::MutexLock lock(&mu_);
    table = table_;
  }
  const access::Principal* principal = table->FindByToken(token);
  if (principal == nullptr) {
    return absl::UnauthenticatedError("unknown token: it matches no principal of the auth file");
  }
  return *principal;
}

}  // namespace irm::services
