// irmd's HTTP side under a crowd of event-stream clients (issue 18 item 6): 3,000 concurrent
// GET /api/events from six loopback source addresses (127.0.0.2 ... 127.0.0.7) against caps
// of 500 streams in total and 100 per address. Exactly the caps' worth are served, every
// other request gets 503 with Retry-After and a closed connection, and /healthz (on the HTTP
// side and on the --metrics listener) answers within a second while the streams stay open.
// Label serial: it opens thousands of sockets and threads.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/http_fixture.h"
#include "tests/support/irmd_process.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

constexpr int kSources = 6;
constexpr int kPerSource = 500;
constexpr int kMaxStreams = 500;
constexpr int kMaxPerClient = 100;

// One client connection: a socket bound to `source`, its request sent.
struct Client {
  int fd = -1;
  std::string source;
  std::string received;
  bool closed = false;
  int status() const {
    if (!absl::StartsWith(received, "HTTP/1.1 ") || received.size() < 12) return 0;
    return std::stoi(received.substr(9, 3));
  }
  bool has_headers() const { return received.find("\r\n\r\n") != std::string::npos; }
};

int Connect(const std::string& source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0) {
    close(fd);
    return -1;
  }
  const std::string request = "GET /api/events HTTP/1.1\r\nHost: irmd\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return -1;
  }
  return fd;
}

// Polls every client until it has its response headers and, when refused, until the server
// closed the connection; false at `deadline`.
bool ReadAnswers(std::vector<Client>& clients, absl::Time deadline) {
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<Client*> waiting;
    for (Client& c : clients) {
      const bool done = c.closed || (c.has_headers() && c.status() == 200);
      if (done) continue;
      fds.push_back({c.fd, POLLIN, 0});
      waiting.push_back(&c);
    }
    if (waiting.empty()) return true;
    const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (left <= 0) return false;
    if (poll(fds.data(), fds.size(), static_cast<int>(std::min<int64_t>(left, 1000))) < 0) {
      return false;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t n = recv(fds[i].fd, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        waiting[i]->closed = true;
      } else {
        waiting[i]->received.append(buffer, static_cast<size_t>(n));
      }
    }
  }
}

TEST(E2eHttpLoadTest, ThousandsOfStreamsFromSeveralAddressesLeaveHealthzAnswering) {
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_max < 8192) GTEST_SKIP() << "needs 8192 open files, the hard limit is lower";
  files.rlim_cur = files.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);  // irmd inherits it

  TempDir dir("irm-http-load");
  auto irmd = IrmdProcess::Start(
      dir.Sub("data"), {"--http", "127.0.0.1:0", "--metrics", "127.0.0.1:0", "--http-max-streams",
                        std::to_string(kMaxStreams), "--http-max-streams-per-client",
                        std::to_string(kMaxPerClient)});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  const std::string http = HttpAddressOf((*irmd)->stderr_text());
  const std::string metrics = (*irmd)->metrics_address();
  ASSERT_FALSE(http.empty());
  ASSERT_FALSE(metrics.empty()) << (*irmd)->stderr_text();
  const int port = std::stoi(http.substr(http.rfind(':') + 1));

  std::vector<Client> clients;
  clients.reserve(kSources * kPerSource);
  for (int i = 0; i < kPerSource; ++i) {
    for (int s = 0; s < kSources; ++s) {
      Client client;
      client.source = absl::StrCat("127.0.0.", 2 + s);
      client.fd = Connect(client.source, port);
      ASSERT_GE(client.fd, 0) << "connection " << clients.size() << " from " << client.source
                              << ": " << strerror(errno);
      clients.push_back(std::move(client));
    }
  }
  ASSERT_TRUE(ReadAnswers(clients, absl::Now() + absl::Seconds(60)))
      << "not every request was answered (and every refused one closed) within 60 s";

  int served = 0;
  std::map<std::string, int> served_per_source;
  for (const Client& c : clients) {
    if (c.status() == 200) {
      ++served;
      ++served_per_source[c.source];
      EXPECT_TRUE(absl::StrContains(c.received, "text/event-stream"));
    } else {
      ASSERT_EQ(c.status(), 503) << c.received;
      EXPECT_TRUE(absl::StrContains(c.received, "Retry-After: 5")) << c.received;
      EXPECT_TRUE(c.closed) << "a refused stream's connection is closed";
    }
  }
  EXPECT_EQ(served, kMaxStreams);
  for (const auto& [source, count] : served_per_source) {
    EXPECT_LE(count, kMaxPerClient) << source;
  }

  // While 500 streams stay open: /healthz answers at once on both listeners.
  for (const std::string& address : {http, metrics}) {
    httplib::Client health("http://" + address);
    health.set_connection_timeout(2, 0);
    health.set_read_timeout(2, 0);
    const absl::Time start = absl::Now();
    httplib::Result answer = health.Get("/healthz");
    const absl::Duration took = absl::Now() - start;
    ASSERT_TRUE(answer) << address << ": " << httplib::to_string(answer.error());
    EXPECT_EQ(answer->status, 200) << address;
    EXPECT_LT(took, absl::Seconds(1)) << address << " /healthz took " << took;
  }
  HttpAnswer reviews = HttpGet(http, "/api/reviews");
  EXPECT_EQ(reviews.status, 200) << "JSON routes keep answering too";

  for (Client& c : clients) close(c.fd);
  EXPECT_TRUE((*irmd)->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
