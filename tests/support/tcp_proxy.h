// TcpProxy: a loopback TCP forwarder a test controls, to cut one client off from a server
// (a network partition) and heal it again.
//
// Listens on a free 127.0.0.1 port and forwards every connection to `target`. Cut() closes
// every forwarded connection at once and, until Heal(), closes each new one as soon as it is
// accepted, so the client sees its connections reset and refused. One thread accepts; each
// connection has one thread that copies both ways (poll), all joined by the destructor.
//
// Thread-safety: Cut/Heal/address from any thread.
#ifndef IRM_TESTS_SUPPORT_TCP_PROXY_H_
#define IRM_TESTS_SUPPORT_TCP_PROXY_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace irm::tests {

class TcpProxy {
 public:
  // `target_port` on 127.0.0.1.
  static absl::StatusOr<std::unique_ptr<TcpProxy>> Start(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  // "127.0.0.1:PORT" to connect to instead of the target.
  std::string address() const;
  int port() const { return port_; }

  void Cut();
  void Heal();

 private:
  struct Connection {
    int client = -1;
    int server = -1;
    std::thread pump;
  };

  TcpProxy() = default;
  void Accept();
  void Pump(int client, int server);

  int target_port_ = 0;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a pipe: written to stop the acceptor

  absl::Mutex mu_;
  bool cut_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Connection>> connections_ ABSL_GUARDED_BY(mu_);
  std::thread acceptor_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_TCP_PROXY_H_
