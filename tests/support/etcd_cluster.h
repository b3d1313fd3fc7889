// EtcdCluster: real etcd members (/usr/bin/etcd, or $IRM_ETCD) on free loopback ports, each
// with its data folder under a folder the test owns, for cluster tests.
//
// Start() launches every member at once (one Raft cluster, a fresh cluster token) and returns
// once each says it serves client traffic (within 30 s). Members can be killed, stopped and
// restarted on the same ports and data. Destroying the EtcdCluster SIGKILLs and reaps every
// member still running, so a failed test never leaves etcd behind.
//
// Thread-safety: one owner thread; the accessors of a running cluster are const.
#ifndef IRM_TESTS_SUPPORT_ETCD_CLUSTER_H_
#define IRM_TESTS_SUPPORT_ETCD_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/support/subprocess.h"

namespace irm::tests {

// The etcd binary the tests run: $IRM_ETCD, else /usr/bin/etcd.
std::string EtcdPath();
// True if EtcdPath() exists; tests skip (GTEST_SKIP) without it.
bool HaveEtcd();

// A free TCP port on 127.0.0.1 (bound and released: another process may take it, rarely).
absl::StatusOr<int> FreeLoopbackPort();

struct EtcdClusterOptions {
  int members = 3;
  // TLS on the client URLs: etcd's --cert-file/--key-file (and, if set, --trusted-ca-file
  // with --client-cert-auth). Client URLs are then https://.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // More etcd flags for every member (--auto-compaction-retention, quotas, ...).
  std::vector<std::string> extra_args;
};

class EtcdCluster {
 public:
  // `dir` must exist; members keep their data in dir/m0, dir/m1, ... and their stderr in
  // dir/m0.log, ... FailedPrecondition (with the members' output) if one does not serve
  // within 30 s.
  static absl::StatusOr<std::unique_ptr<EtcdCluster>> Start(const std::string& dir,
                                                            EtcdClusterOptions options = {});
  ~EtcdCluster();
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  int size() const { return static_cast<int>(members_.size()); }
  // "127.0.0.1:PORT" of member i's client listener.
  std::string address(int i) const;
  // "http://127.0.0.1:PORT" (https with TLS) of member i.
  std::string client_url(int i) const;
  // Every member's client URL, comma-separated, as --cluster-etcd takes them.
  std::string client_urls() const;

  bool running(int i) const;
  // SIGKILL and reap member i.
  absl::Status Kill9(int i);
  // SIGTERM member i and wait up to 30 s for it to exit.
  absl::Status Stop(int i);
  // Starts a stopped or killed member again on its ports and data; returns once it serves
  // client traffic (which needs a quorum). FailedPrecondition if it is running.
  absl::Status Restart(int i);

 private:
  struct Member {
    std::string name;
    std::string data_dir;
    int client_port = 0;
    int peer_port = 0;
    std::unique_ptr<Subprocess> process;
  };

  EtcdCluster(std::string dir, EtcdClusterOptions options)
      : dir_(std::move(dir)), options_(std::move(options)) {}
  // Launches member i (fresh or restarted) without waiting.
  absl::Status Launch(int i, bool existing);
  absl::Status WaitServing(int i);

  const std::string dir_;
  const EtcdClusterOptions options_;
  std::string token_;
  std::string initial_cluster_;
  std::vector<Member> members_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_ETCD_CLUSTER_H_
