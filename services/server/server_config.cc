#include "services/server/server_config.h"

#include <algorithm>
#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "engine/cluster/etcd_client.h"
#include "engine/log/message_budget.h"
#include "engine/store/commit_replicator.h"
#include "services/server/config_file.h"
#include "services/server/listen_address.h"

namespace irm::services {
namespace {

// The --config FILE on `command_line` (the last one if repeated), or "".
std::string ConfigFileFlag(const std::vector<std::string>& command_line) {
  std::string file;
  for (size_t i = 0; i < command_line.size(); ++i) {
    if (command_line[i] == "--config" && i + 1 < command_line.size()) {
      file = command_line[++i];
    } else if (absl::StartsWith(command_line[i], "--config=")) {
      file = command_line[i].substr(std::string("--config=").size());
    }
  }
  return file;
}

// The file's entries as flags ("--key=value"), ahead of the command line so that the
// command line, parsed later, wins.
std::vector<std::string> FileThenCommandLine(
    const std::vector<ConfigEntry>& entries, const std::vector<std::string>& command_line) {
  std::vector<std::string> args;
  for (const ConfigEntry& entry : entries) {
    args.push_back(absl::StrCat("--", entry.key, "=", entry.value));
  }
  args.insert(args.end(), command_line.begin(), command_line.end());
  return args;
}

// The exposure rules of one listener that takes bearer tokens (server_config.h): `address`
// parsed from `flag`'s value; `tls_cert` is its certificate ("" without TLS), given with
// `tls_flag` ("--tls" or "--http-tls").
absl::Status CheckExposure(const ListenAddress& address, const std::string& flag,
                           const std::string& tls_cert, const std::string& tls_flag,
                           ServerConfig& config) {
  const std::string& value = flag == "--listen" ? config.listen : config.http_listen;
  if (address.local()) return absl::OkStatus();
  if (config.auth_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to listen on ", value, " (", flag,
        ") without --auth: an open development server listens only on local addresses "
        "(127.0.0.0/8, [::1], localhost", flag == "--listen" ? ", unix:/path" : "",
        "); give --auth FILE to serve other addresses"));
  }
  if (!tls_cert.empty()) return absl::OkStatus();
  if (!config.allow_plaintext_tokens) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to take bearer tokens in clear text on ", value, " (", flag,
        "): with --auth a non-local address needs TLS; give ", tls_flag, "-cert and ", tls_flag,
        "-key, or listen on loopback behind a TLS-terminating proxy, or give "
        "--allow-plaintext-tokens if the network in between is protected otherwise"));
  }
  config.plaintext_token_listeners.push_back(absl::StrCat(flag, " ", value));
  return absl::OkStatus();
}

// The cluster flags: --cluster-etcd and --node-name go together, the etcd-* flags need them,
// and an event must fit one etcd transaction.
absl::Status CheckCluster(const std::string& cluster_etcd, ServerConfig& config) {
  if (cluster_etcd.empty()) {
    for (const auto& [flag, value] :
         std::vector<std::pair<const char*, const std::string*>>{
             {"--node-name", &config.node_name},
             {"--etcd-tls-ca", &config.etcd_tls_ca},
             {"--etcd-tls-cert", &config.etcd_tls_cert},
             {"--etcd-tls-key", &config.etcd_tls_key},
             {"--etcd-user", &config.etcd_user},
             {"--etcd-password-file", &config.etcd_password_file}}) {
      if (!value->empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            flag, " is for cluster mode and needs --cluster-etcd URL[,URL...]; without it the "
                  "log is the embedded one in --data"));
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> endpoints = cluster::ParseEtcdEndpoints(cluster_etcd);
  if (!endpoints.ok()) return endpoints.status();
  config.cluster_etcd = *std::move(endpoints);
  if (config.node_name.empty()) {
    return absl::InvalidArgumentError(
        "--cluster-etcd needs --node-name NAME: the name this node goes by in the cluster's "
        "logs and metrics, e.g. --node-name irm-1");
  }
  if (config.etcd_tls_cert.empty() != config.etcd_tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--etcd-tls-cert and --etcd-tls-key go together: give both or neither");
  }
  if (config.etcd_user.empty() != config.etcd_password_file.empty()) {
    return absl::InvalidArgumentError(
        "--etcd-user and --etcd-password-file go together: give both or neither");
  }
  if (config.max_event_bytes > store::kClusterMaxAppendBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-event-bytes ", config.max_event_bytes, " is above cluster mode's cap of ",
        store::kClusterMaxAppendBytes,
        ": an append must fit one etcd transaction (1.5 MiB); give at most ",
        store::kClusterMaxAppendBytes));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& command_line) {
  ServerConfig config;
  config.config_file = ConfigFileFlag(command_line);
  std::vector<ConfigEntry> file_entries;
  if (!config.config_file.empty()) {
    absl::StatusOr<std::vector<ConfigEntry>> read = ReadConfigFile(config.config_file);
    if (!read.ok()) return read.status();
    file_entries = std::move(*read);
  }
  const std::vector<std::string> args = FileThenCommandLine(file_entries, command_line);
  const std::map<std::string, std::string*> string_flags = {
      {"--data", &config.data_dir},           {"--listen", &config.listen},
      {"--auth", &config.auth_file},          {"--tls-cert", &config.tls_cert},
      {"--tls-key", &config.tls_key},         {"--tls-client-ca", &config.tls_client_ca},
      {"--metrics", &config.metrics_listen},  {"--http", &config.http_listen},
      {"--signing-key", &config.signing_key},
      {"--log-level", &config.log_level},
      {"--restore-from", &config.restore_from},
      {"--http-tls-cert", &config.http_tls_cert},
      {"--http-tls-key", &config.http_tls_key},
      {"--today", &config.today},
      {"--node-name", &config.node_name},
      {"--etcd-tls-ca", &config.etcd_tls_ca},
      {"--etcd-tls-cert", &config.etcd_tls_cert},
      {"--etcd-tls-key", &config.etcd_tls_key},
      {"--etcd-user", &config.etcd_user},
      {"--etcd-password-file", &config.etcd_password_file},
  };
  // Flags without a value: present means true; `--flag=false` (or `flag = false` in the
  // file) turns one off again.
  const std::map<std::string, bool*> bool_flags = {
      {"--allow-plaintext-tokens", &config.allow_plaintext_tokens},
      {"--allow-remote-metrics", &config.allow_remote_metrics},
      {"--public-dashboard", &config.public_dashboard},
  };
  std::string http_max_streams;
  std::string http_max_streams_per_client;
  std::string max_event_bytes;
  std::string checkpoint_interval;
  std::string http_session_idle;
  std::string min_free_bytes;
  std::string max_buffered_bytes;
  std::string cluster_etcd;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_inline_value = false;
    if (size_t eq = flag.find('='); absl::StartsWith(flag, "--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_inline_value = true;
    }
    if ((flag == "--help" || flag == "-h") && i >= file_entries.size()) {
      config.help = true;
      return config;
    }
    if (auto it = bool_flags.find(flag); it != bool_flags.end()) {
      if (!has_inline_value || value == "true" || value == "yes" || value == "1") {
        *it->second = true;
      } else if (value == "false" || value == "no" || value == "0") {
        *it->second = false;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, "=", value, " is not true or false; the flag alone means true"));
      }
      continue;
    }
    std::string* target = nullptr;
    if (auto it = string_flags.find(flag); it != string_flags.end()) target = it->second;
    if (flag == "--max-event-bytes") target = &max_event_bytes;
    if (flag == "--checkpoint-interval") target = &checkpoint_interval;
    if (flag == "--http-session-idle") target = &http_session_idle;
    if (flag == "--min-free-bytes") target = &min_free_bytes;
    if (flag == "--max-buffered-bytes") target = &max_buffered_bytes;
    if (flag == "--cluster-etcd") target = &cluster_etcd;
    if (flag == "--http-max-streams") target = &http_max_streams;
    if (flag == "--http-max-streams-per-client") target = &http_max_streams_per_client;
    if (flag == "--config") target = i < file_entries.size() ? nullptr : &config.config_file;
    if (target == nullptr && i < file_entries.size()) {
      std::vector<std::string> known = {"max-event-bytes", "checkpoint-interval", "min-free-bytes",
                                        "http-session-idle",
                                        "max-buffered-bytes", "cluster-etcd",
                                        "http-max-streams", "http-max-streams-per-client"};
      for (const auto& [name, unused] : string_flags) known.push_back(name.substr(2));
      for (const auto& [name, unused] : bool_flags) known.push_back(name.substr(2));
      std::sort(known.begin(), known.end());
      return absl::InvalidArgumentError(absl::StrCat(
          config.config_file, ":", file_entries[i].line, ": unknown key '", file_entries[i].key,
          "'; known keys: ", absl::StrJoin(known, ", ")));
    }
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
  absl::StatusOr<ListenAddress> listen =
      ParseListenAddress("--listen", config.listen, /*allow_unix=*/true);
  if (!listen.ok()) return listen.status();
  if (!max_event_bytes.empty() &&
      (!absl::SimpleAtoi(max_event_bytes, &config.max_event_bytes) || config.max_event_bytes == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-event-bytes '", max_event_bytes, "' is not a positive number of bytes"));
  }
  if (config.max_event_bytes > log::kMaxEventBytesCeiling) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-event-bytes ", config.max_event_bytes, " is above the maximum of ",
        log::kMaxEventBytesCeiling,
        " (3.5 MiB): a larger event could not be read back by a client at gRPC's default "
        "4 MiB message limit; give at most ", log::kMaxEventBytesCeiling));
  }
  if (!http_session_idle.empty() &&
      (!absl::ParseDuration(http_session_idle, &config.http_session_idle) ||
       config.http_session_idle < absl::Seconds(1) || config.http_session_idle > absl::Hours(12))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http-session-idle '", http_session_idle,
        "' is not a duration from 1s to 12h, e.g. 30m (how long a console session may sit idle)"));
  }
  if (!checkpoint_interval.empty() &&
      (!absl::ParseDuration(checkpoint_interval, &config.checkpoint_interval) ||
       config.checkpoint_interval < absl::Milliseconds(100))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--checkpoint-interval '", checkpoint_interval,
        "' is not a duration of at least 100ms; write it like 60s, 5m or 1h"));
  }
  if (!min_free_bytes.empty() && !absl::SimpleAtoi(min_free_bytes, &config.min_free_bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--min-free-bytes '", min_free_bytes, "' is not a number of bytes (0 disables the reserve)"));
  }
  if (!max_buffered_bytes.empty() &&
      !absl::SimpleAtoi(max_buffered_bytes, &config.max_buffered_bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-buffered-bytes '", max_buffered_bytes, "' is not a number of bytes; e.g. ",
        256ull << 20, " (256 MiB, the default)"));
  }
  if (config.max_buffered_bytes < kMinBufferedEvents * config.max_event_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-buffered-bytes ", config.max_buffered_bytes, " is below ", kMinBufferedEvents,
        " times --max-event-bytes (", config.max_event_bytes,
        "): appends could not be buffered while one commits; give at least ",
        kMinBufferedEvents * config.max_event_bytes));
  }
  if (config.log_level != "debug" && config.log_level != "info" &&
      config.log_level != "warning" && config.log_level != "error") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--log-level '", config.log_level, "' is not one of debug, info, warning, error"));
  }
  if (absl::CivilDay day; !config.today.empty() &&
                          (!absl::ParseCivilTime(config.today, &day) ||
                           absl::FormatCivilTime(day) != config.today)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--today '", config.today, "' is not a date; write it YYYY-MM-DD, e.g. 2016-07-01"));
  }
  if (absl::Status s = CheckCluster(cluster_etcd, config); !s.ok()) return s;
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together: give both or neither");
  }
  if (!config.tls_client_ca.empty() && config.tls_cert.empty()) {
    return absl::InvalidArgumentError(
        "--tls-client-ca needs --tls-cert and --tls-key: client certificates are checked only "
        "over TLS");
  }
  if (config.http_tls_cert.empty() != config.http_tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--http-tls-cert and --http-tls-key go together: give both or neither");
  }
  if (!config.http_tls_cert.empty() && config.http_listen.empty()) {
    return absl::InvalidArgumentError(
        "--http-tls-cert and --http-tls-key need --http HOST:PORT: they are the HTTP side's "
        "certificate and key");
  }
  if (absl::Status s = CheckExposure(*listen, "--listen", config.tls_cert, "--tls", config);
      !s.ok()) {
    return s;
  }
  if (!config.http_listen.empty()) {
    absl::StatusOr<ListenAddress> http =
        ParseListenAddress("--http", config.http_listen, /*allow_unix=*/false);
    if (!http.ok()) return http.status();
    if (absl::Status s =
            CheckExposure(*http, "--http", config.http_tls_cert, "--http-tls", config);
        !s.ok()) {
      return s;
    }
  }
  // At most 1792 = 2048 connection threads less 256 kept for /healthz and the JSON routes
  // (services/http/http_server.h).
  constexpr size_t kMaxStreams = 1792;
  if (!http_max_streams.empty() &&
      (!absl::SimpleAtoi(http_max_streams, &config.http_max_streams) ||
       config.http_max_streams == 0 || config.http_max_streams > kMaxStreams)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http-max-streams '", http_max_streams, "' is not a number from 1 to ", kMaxStreams,
        " (the HTTP side's 2048 connection threads less 256 kept for /healthz and JSON)"));
  }
  if (!http_max_streams_per_client.empty() &&
      (!absl::SimpleAtoi(http_max_streams_per_client, &config.http_max_streams_per_client) ||
       config.http_max_streams_per_client == 0)) {
    return absl::InvalidArgumentError(absl::StrCat("--http-max-streams-per-client '",
                                                   http_max_streams_per_client,
                                                   "' is not a positive number of streams"));
  }
  if (config.public_dashboard && config.http_listen.empty()) {
    return absl::InvalidArgumentError(
        "--public-dashboard needs --http HOST:PORT: it publishes the HTTP side's observer view");
  }
  if (!config.metrics_listen.empty()) {
    absl::StatusOr<ListenAddress> metrics =
        ParseListenAddress("--metrics", config.metrics_listen, /*allow_unix=*/false);
    if (!metrics.ok()) return metrics.status();
    if (!metrics->local() && !config.allow_remote_metrics) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to serve metrics on ", config.metrics_listen,
          ": metrics (stream counts, subscribers, disk use) are not authenticated and would "
          "reach other machines; listen on loopback (127.0.0.1:9464) or give "
          "--allow-remote-metrics when the network in between is trusted"));
    }
  }
  return config;
}

MemoryBudget MemoryBudgetOf(const ServerConfig& config) {
  const uint64_t total = config.max_buffered_bytes;
  MemoryBudget budget;
  budget.append_bytes = total / 2;
  budget.grpc_quota_bytes = total / 4;
  budget.feed_handoff_bytes = total / 8;
  budget.feed_ring_bytes = total / 8;
  const uint64_t streams = budget.grpc_quota_bytes / std::max<uint64_t>(config.max_event_bytes, 1);
  budget.grpc_max_streams_per_connection = static_cast<int>(
      std::clamp<uint64_t>(streams, kMinStreamsPerConnection, 1 << 20));
  return budget;
}

const char* ServerUsage() {
  return R"(irmd: the irm server. Appends immutable events to a RocksDB log and serves them over gRPC.

Usage:
  irmd --data DIR --listen HOST:PORT [flags]

Flags:
  --data DIR             folder of the embedded RocksDB log (created if missing); required
  --listen HOST:PORT     gRPC address (default 127.0.0.1:50051; port 0 picks a free port;
                         [::1]:PORT for IPv6; unix:/path for a Unix socket). Without
                         --auth only local addresses are allowed (127.0.0.0/8, ::1,
                         localhost, unix:); with --auth a non-local address needs
                         --tls-cert/--tls-key or --allow-plaintext-tokens.
  --max-event-bytes N    most bytes of data plus custom metadata one event may carry
                         (default 1048576; at most 3670016 = 3.5 MiB, so that any
                         client at gRPC's default 4 MiB message limit reads every event)
  --min-free-bytes N     refuse appends (RESOURCE_EXHAUSTED) while the data folder's disk
                         has less than N bytes free besides the append (default 67108864;
                         0 disables); appends resume by themselves once space is freed
  --max-buffered-bytes N  memory for requests and events in flight (default 268435456
                         = 256 MiB; at least 4 x --max-event-bytes): 1/2 for appends
                         waiting to be written, beyond which appends are refused
                         (RESOURCE_EXHAUSTED, reason BUFFERS_FULL, with a retry delay);
                         1/4 for gRPC's buffers (a resource quota; past it gRPC reads
                         requests more slowly); 1/8 each for the live feed's hand-off
                         queue and ring. irmd's resident memory stays below about
                         N plus a fixed overhead (docs/reliability.md, "Memory")
  --auth FILE            principals and SHA-256 token hashes (JSON); calls need
                         'authorization: Bearer <token>'. SIGHUP re-reads the file
                         (a file that does not parse keeps the old one). See docs/security.md
  --tls-cert F --tls-key F  serve TLS with this PEM certificate chain and key
  --tls-client-ca F      with TLS: require client certificates signed by this PEM CA
  --metrics HOST:PORT    Prometheus metrics at http://HOST:PORT/metrics (series irm_*;
                         port 0 picks a free port, named in the log); GET /healthz
                         there too. Loopback only, unless --allow-remote-metrics.
  --allow-remote-metrics serve --metrics on a non-loopback address (metrics are not
                         authenticated: only where the network in between is trusted)
  --allow-plaintext-tokens  with --auth, accept bearer tokens without TLS on a non-local
                         --listen or --http (irmd otherwise refuses to start); a warning
                         is logged for each such listener. Only where the network in
                         between is protected otherwise
  --http HOST:PORT       HTTP side: live dashboard at /, JSON under /api/, Server-Sent
                         Events at /api/events (docs/dashboard.md), the console for
                         signed-in users at /work (docs/console.md); prints
                         "irmd http listening on HOST:PORT" first. Without --auth: no
                         token needed, the observer view. With --auth every route but
                         /healthz and the sign-in page (/login, /logout, /login.css)
                         needs a bearer token or a signed-in session: /api/* answers
                         401, pages redirect (303) to /login.
                         Without --auth only loopback addresses are allowed; with --auth
                         a non-loopback address needs --http-tls-cert/--http-tls-key or
                         --allow-plaintext-tokens.
  --http-tls-cert F --http-tls-key F  serve the HTTP side as HTTPS with this PEM
                         certificate chain and key
  --http-max-streams N   most concurrent event streams (/api/events) in total (default
                         1000, at most 1792); beyond it 503 with Retry-After
  --http-max-streams-per-client N  most concurrent event streams from one client
                         address (default 64); beyond it 503 with Retry-After. Idle
                         keep-alive connections close after 5 s; /healthz always answers
  --http-session-idle D  a console session (signed in at /login) ends after D without a
                         request (default 30m, at most 12h; sessions last 12h at most)
  --public-dashboard     with --auth, publish the observer view over HTTP: requests
                         without a token get it instead of 401 / the sign-in page
  --signing-key F        Ed25519 PEM private key (`openssl genpkey -algorithm ed25519`)
                         that signs checkpoints of the log's Merkle tree; see docs/audit.md
  --checkpoint-interval D  how often to sign when the tree grew (default 60s)
  --restore-from BACKUP  first restore the newest backup in folder BACKUP (made by
                         `irm admin backup`) into --data, which must be empty or absent,
                         then serve it. Refuses a non-empty --data.
  --config FILE          read settings from FILE: `key = value` lines, keys are the flag
                         names without dashes (`listen = 127.0.0.1:50051`), # comments;
                         flags on the command line win over the file
  --today YYYY-MM-DD     freeze the server's business day at this date: deadlines are
                         judged against it (docs/deadlines.md) and steps without --on
                         are dated with it. For tests and demonstrations; recorded
                         times stay the real clock's
  --log-level LEVEL      debug, info (default), warning or error; logs are JSON lines on
                         stderr
  --cluster-etcd URL[,URL...]  cluster mode (docs/cluster.md): the log lives in etcd at
                         these client URLs (http://HOST:PORT, https://HOST:PORT); --data
                         holds this node's copy, which serves reads. Every node appends;
                         an append is acknowledged once etcd committed it and this
                         node's copy has it. Without etcd, appends answer UNAVAILABLE
                         and reads go on. An append holds at most 127 events and 1 MiB
  --node-name NAME       this node's name in the cluster (required with --cluster-etcd)
  --etcd-tls-ca F        PEM roots for etcd's certificates (makes etcd connections TLS)
  --etcd-tls-cert F --etcd-tls-key F  client certificate for etcd's --client-cert-auth
  --etcd-user NAME --etcd-password-file F  etcd user authentication
  -h, --help             this text

Prints "irmd listening on HOST:PORT" on stderr once it serves. SIGTERM or SIGINT drains
in-flight calls and exits 0. SIGHUP reloads the --auth file. A damaged data folder (missing
or corrupt files, a lost tail, indexes past the end) makes irmd refuse to start: it prints
DATA_LOSS naming the damage and exits 3. Health (grpc.health.v1) and server reflection are
always on. Every other log line is one JSON object (time, level, message, fields), with one
record per gRPC call and its request id (x-request-id); see docs/operations.md.

Examples:
  irmd --data /var/lib/irm --listen 127.0.0.1:50051
  irmd --config /etc/irm/irmd.conf --log-level debug
)";
}

}  // namespace irm::services
