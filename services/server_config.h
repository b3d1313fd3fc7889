// ServerConfig: irmd's command line, parsed and checked.
//
// Flags are those of interface.md. Parsing is pure; the usage text is the `irmd --help`.
#ifndef IRM_SERVICES_SERVER_CONFIG_H_
#define IRM_SERVICES_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

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
  std::string restore_from;  // backup folder to restore into an empty --data first
  size_t max_event_bytes = 1 << 20;
  uint64_t min_free_bytes = 64 << 20;  // appends refused while the disk has less free
  bool help = false;
};

// Parses `args` (without the program name). InvalidArgument names the bad flag and what
// would be right. Checks that an open development server (no --auth) listens on loopback.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::vector<std::string>& args);

// True for 127.0.0.0/8, ::1 and localhost, with or without a port.
bool IsLoopbackAddress(const std::string& host_port);

const char* ServerUsage();

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_CONFIG_H_
