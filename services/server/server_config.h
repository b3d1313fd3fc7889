// ServerConfig: irmd's command line, parsed and checked.
//
// Flags are those of interface.md. Parsing is pure apart from reading the --config file
// (config_file.h: `key = value` lines, keys are flag names without dashes; flags given on
// the command line win over the file). The usage text is the `irmd --help`.
#ifndef IRM_SERVICES_SERVER_SERVER_CONFIG_H_
#define IRM_SERVICES_SERVER_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace irm::services {

struct ServerConfig {
  std::string data_dir;
  std::string listen = "127.0.0.1:50051";
  std::string auth_file;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string metrics_listen;
  std::string http_listen;
  std::string http_tls_cert;  // --http-tls-cert/--http-tls-key: the HTTP side serves HTTPS
  std::string http_tls_key;
  // --allow-plaintext-tokens: serve --auth on a non-local address without TLS (a warning
  // is logged for each such listener, see plaintext_token_listeners).
  bool allow_plaintext_tokens = false;
  bool allow_remote_metrics = false;  // --allow-remote-metrics: --metrics off loopback
  // --public-dashboard: with --auth, HTTP requests without a token get the observer view
  // (otherwise they need a token: /api/* answers 401, pages redirect to /login).
  bool public_dashboard = false;
  // --http-max-streams, --http-max-streams-per-client: concurrent /api/events streams.
  size_t http_max_streams = 1000;
  size_t http_max_streams_per_client = 64;
  // --http-session-idle: a console session ends after this long without a request.
  absl::Duration http_session_idle = absl::Minutes(30);
  // Filled by ParseServerConfig: "--listen 0.0.0.0:50051" for each listener that will take
  // bearer tokens in clear text because --allow-plaintext-tokens allowed it.
  std::vector<std::string> plaintext_token_listeners;
  std::string signing_key;
  absl::Duration checkpoint_interval = absl::Seconds(60);  // with --signing-key
  size_t max_event_bytes = 1 << 20;  // data plus custom metadata; <= log::kMaxEventBytesCeiling
  std::string config_file;         // --config: where the other settings were read from
  std::string log_level = "info";  // --log-level: debug, info, warning or error
  std::string restore_from;  // backup folder to restore into an empty --data first
  uint64_t min_free_bytes = 64 << 20;  // appends refused while the disk has less free
  // --max-buffered-bytes: the memory irmd may hold for requests and events in flight,
  // split by MemoryBudgetOf (docs/reliability.md, "Memory").
  uint64_t max_buffered_bytes = 256ull << 20;
  // --today YYYY-MM-DD: the server's business day stands still at this date (deadlines are
  // judged against it, steps without --on are dated with it); "" for the real date.
  std::string today;
  // Cluster mode (docs/cluster.md): --cluster-etcd URL[,URL...] makes this irmd one node of
  // a cluster whose log lives in etcd; --node-name names it. TLS and user auth towards etcd.
  std::vector<std::string> cluster_etcd;
  std::string node_name;
  std::string etcd_tls_ca;
  std::string etcd_tls_cert;
  std::string etcd_tls_key;
  std::string etcd_user;
  std::string etcd_password_file;
  bool help = false;
};

// How --max-buffered-bytes is shared out. Each part is a byte bound of its own; together
// they are the setting.
struct MemoryBudget {
  uint64_t append_bytes = 0;        // 1/2: appends queued or committing (append_writer.h)
  uint64_t grpc_quota_bytes = 0;    // 1/4: gRPC's buffers (a grpc::ResourceQuota)
  uint64_t feed_handoff_bytes = 0;  // 1/8: committed events waiting for the live feed
  uint64_t feed_ring_bytes = 0;     // 1/8: the live feed's ring of recent events
  // Concurrent calls one gRPC connection may have open: the events the gRPC quota holds
  // at --max-event-bytes each, but at least kMinStreamsPerConnection (a client's
  // subscriptions share one connection).
  int grpc_max_streams_per_connection = 0;
};
inline constexpr int kMinStreamsPerConnection = 1024;
// The least --max-buffered-bytes: the append writer's half holds two of the largest events.
inline constexpr uint64_t kMinBufferedEvents = 4;

MemoryBudget MemoryBudgetOf(const ServerConfig& config);

// Parses `args` (without the program name). InvalidArgument names the bad flag and what
// would be right. Addresses are checked with listen_address.h: an open development server
// (no --auth) listens only on local addresses; with --auth, a non-local --listen needs
// --tls-cert and a non-local --http needs --http-tls-cert, unless --allow-plaintext-tokens;
// a non-local --metrics needs --allow-remote-metrics. Flags without a value
// (--allow-plaintext-tokens) also take =true or =false (`key = true` in a --config file).
// With --config FILE, FILE's keys apply first and the command line overrides them; an
// unknown key is InvalidArgument naming FILE:LINE, the key and the known keys.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& command_line);

const char* ServerUsage();

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_SERVER_CONFIG_H_
