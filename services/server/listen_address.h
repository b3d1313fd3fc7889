// ListenAddress: an address irmd is asked to listen on (--listen, --http, --metrics), parsed
// once, and whether it stays on this machine.
//
// Accepted forms: HOST:PORT with HOST an IPv4 literal, a bracketed IPv6 literal ([::1]:PORT)
// or a name, and (where the listener supports it) `unix:/path` for a Unix domain socket.
// Local means: IPv4 127.0.0.0/8, IPv6 ::1 (and ::ffff:127.0.0.0/104), the name `localhost`,
// or a Unix socket. Nothing else is local: not "127.example.org", not a name that happens to
// resolve to loopback today, not 0.0.0.0 or [::]. Pure functions; thread-safe.
#ifndef IRM_SERVICES_SERVER_LISTEN_ADDRESS_H_
#define IRM_SERVICES_SERVER_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace irm::services {

struct ListenAddress {
  enum class Kind { kLoopback, kUnix, kNetwork };
  Kind kind = Kind::kNetwork;
  std::string host;  // without IPv6 brackets; the socket's path for kUnix
  int port = 0;      // 0 picks a free port; unused for kUnix

  // True when only processes on this machine can connect.
  bool local() const { return kind != Kind::kNetwork; }
};

// Parses `value` given to `flag` ("--http"). InvalidArgument names the flag, the value and
// the forms that would be right; `unix:` paths only when `allow_unix`.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view flag, absl::string_view value,
                                                 bool allow_unix);

// True for an IPv4 literal in 127.0.0.0/8, the IPv6 literal ::1 (or a v4-mapped loopback),
// and `localhost` (any case). Brackets are not part of `host`.
bool IsLoopbackHost(absl::string_view host);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_LISTEN_ADDRESS_H_
