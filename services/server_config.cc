#include "services/server_config.h"

#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace irm::services {
namespace {

std::string HostOf(const std::string& host_port) {
  if (absl::StartsWith(host_port, "[")) {
    size_t close = host_port.find(']');
    return close == std::string::npos ? host_port : host_port.substr(1, close - 1);
  }
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos || host_port.find(':') != colon) return host_port;
  return host_port.substr(0, colon);
}

absl::Status CheckHostPort(const std::string& flag, const std::string& value) {
  size_t colon = value.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, " '", value, "' is not HOST:PORT; e.g. 127.0.0.1:50051 (port 0 picks a free one)"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackAddress(const std::string& host_port) {
  const std::string host = HostOf(host_port);
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& args) {
  ServerConfig config;
  const std::map<std::string, std::string*> string_flags = {
      {"--data", &config.data_dir},           {"--listen", &config.listen},
      {"--auth", &config.auth_file},          {"--tls-cert", &config.tls_cert},
      {"--tls-key", &config.tls_key},         {"--tls-client-ca", &config.tls_client_ca},
      {"--metrics", &config.metrics_listen},  {"--http", &config.http_listen},
      {"--signing-key", &config.signing_key},
  };
  std::string max_event_bytes;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_inline_value = false;
    if (size_t eq = flag.find('='); absl::StartsWith(flag, "--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_inline_value = true;
    }
    if (flag == "--help" || flag == "-h") {
      config.help = true;
      return config;
    }
    std::string* target = nullptr;
    if (auto it = string_flags.find(flag); it != string_flags.end()) target = it->second;
    if (flag == "--max-event-bytes") target = &max_event_bytes;
    if (target == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag '", args[i], "'; see 'irmd --help'"));
    }
    if (!has_inline_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value; see 'irmd --help'"));
      }
      value = args[++i];
    }
    *target = value;
  }
  if (config.data_dir.empty()) {
    return absl::InvalidArgumentError(
        "--data DIR is required: the folder that holds the log (created if missing)");
  }
  if (absl::Status s = CheckHostPort("--listen", config.listen); !s.ok()) return s;
  if (!max_event_bytes.empty() &&
      (!absl::SimpleAtoi(max_event_bytes, &config.max_event_bytes) || config.max_event_bytes == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-event-bytes '", max_event_bytes, "' is not a positive number of bytes"));
  }
  if (config.auth_file.empty() && !IsLoopbackAddress(config.listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to listen on ", config.listen,
        " without --auth: an open development server listens only on loopback "
        "(127.0.0.1, ::1, localhost); give --auth FILE to serve other addresses"));
  }
  if (!config.http_listen.empty()) {
    if (absl::Status s = CheckHostPort("--http", config.http_listen); !s.ok()) return s;
    if (config.auth_file.empty() && !IsLoopbackAddress(config.http_listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to serve HTTP on ", config.http_listen,
          " without --auth: an open development server listens only on loopback "
          "(127.0.0.1, ::1, localhost); give --auth FILE to serve other addresses"));
    }
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together: give both or neither");
  }
  if (!config.tls_client_ca.empty() && config.tls_cert.empty()) {
    return absl::InvalidArgumentError(
        "--tls-client-ca needs --tls-cert and --tls-key: client certificates are checked only "
        "over TLS");
  }
  return config;
}

const char* ServerUsage() {
  return R"(irmd: the irm server. Appends immutable events to a RocksDB log and serves them over gRPC.

Usage:
  irmd --data DIR --listen HOST:PORT [flags]

Flags:
  --data DIR             folder of the embedded RocksDB log (created if missing); required
  --listen HOST:PORT     gRPC address (default 127.0.0.1:50051; port 0 picks a free port).
                         Without --auth only loopback addresses are allowed.
  --max-event-bytes N    largest event data accepted (default 1048576)
  --auth FILE            principals and SHA-256 token hashes (JSON); calls need
                         'authorization: Bearer <token>'. SIGHUP re-reads the file
                         (a file that does not parse keeps the old one). See docs/security.md
  --tls-cert F --tls-key F  serve TLS with this PEM certificate chain and key
  --tls-client-ca F      with TLS: require client certificates signed by this PEM CA
  --metrics HOST:PORT    Prometheus metrics                            [not yet available]
  --http HOST:PORT       read-only HTTP side: live dashboard at /, JSON under /api/,
                         Server-Sent Events at /api/events (docs/dashboard.md); prints
                         "irmd http listening on HOST:PORT" first. No token: observer view.
                         Without --auth only loopback addresses are allowed.
  --signing-key F        Ed25519 PEM key that signs checkpoints        [not yet available]
  -h, --help             this text

Prints "irmd listening on HOST:PORT" on stderr once it serves. SIGTERM or SIGINT drains
in-flight calls and exits 0. SIGHUP reloads the --auth file. Health (grpc.health.v1) and
server reflection are always on.

Example:
  irmd --data /var/lib/irm --listen 127.0.0.1:50051
)";
}

}  // namespace irm::services
