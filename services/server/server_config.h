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
  std::string signing_key;
  absl::Duration checkpoint_interval = absl::Seconds(60);  // with --signing-key
  size_t max_event_bytes = 1 << 20;
  std::string config_file;         // --config: where the other settings were read from
  std::string log_level = "info";  // --log-level: debug, info, warning or error
  std::string restore_from;  // backup folder to restore into an empty --data first
  uint64_t min_free_bytes = 64 << 20;  // appends refused while the disk has less free
  bool help = false;
};

// Parses `args` (without the program name). InvalidArgument names the bad flag and what
// would be right. Checks that an open development server (no --auth) listens on loopback.
// With --config FILE, FILE's keys apply first and the command line overrides them; an
// unknown key is InvalidArgument naming FILE:LINE, the key and the known keys.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& command_line);

// True for 127.0.0.0/8, ::1 and localhost, with or without a port.
bool IsLoopbackAddress(const std::string& host_port);

const char* ServerUsage();

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_SERVER_CONFIG_H_
