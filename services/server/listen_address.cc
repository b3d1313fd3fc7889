#include "services/server/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/common/quote.h"

namespace irm::services {

bool IsLoopbackHost(absl::string_view host) {
  const std::string text(host);
  if (absl::AsciiStrToLower(text) == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view flag, absl::string_view value,
                                                 bool allow_unix) {
  const std::string forms = allow_unix
                                ? "HOST:PORT (127.0.0.1:8080, [::1]:8080, localhost:8080) or "
                                  "unix:/path/to/socket"
                                : "HOST:PORT (127.0.0.1:8080, [::1]:8080, localhost:8080)";
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", common::Quote(value), " ", why,
                                                   "; give ", forms,
                                                   " (port 0 picks a free one)"));
  };
  ListenAddress address;
  if (absl::StartsWith(value, "unix:")) {
    if (!allow_unix) return bad("is a Unix socket, which this listener cannot serve");
    address.kind = ListenAddress::Kind::kUnix;
    address.host = std::string(value.substr(5));
    if (address.host.empty()) return bad("names no socket path");
    return address;
  }
  size_t colon;
  if (absl::StartsWith(value, "[")) {
    const size_t close = value.find(']');
    if (close == absl::string_view::npos || close + 1 >= value.size() || value[close + 1] != ':') {
      return bad("is not [IPV6]:PORT");
    }
    address.host = std::string(value.substr(1, close - 1));
    in6_addr v6{};
    if (inet_pton(AF_INET6, address.host.c_str(), &v6) != 1) {
      return bad("does not hold an IPv6 address between the brackets");
    }
    colon = close + 1;
  } else {
    colon = value.rfind(':');
    if (colon == absl::string_view::npos) return bad("has no port");
    if (value.find(':') != colon) return bad("is an IPv6 address without brackets");
    address.host = std::string(value.substr(0, colon));
  }
  if (address.host.empty()) return bad("has no host (0.0.0.0 for every IPv4 interface)");
  if (!absl::SimpleAtoi(value.substr(colon + 1), &address.port) || address.port < 0 ||
      address.port > 65535) {
    return bad("has no port from 0 to 65535");
  }
  address.kind =
      IsLoopbackHost(address.host) ? ListenAddress::Kind::kLoopback : ListenAddress::Kind::kNetwork;
  return address;
}

}  // namespace irm::services
