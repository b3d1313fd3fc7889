// ClusterFixture: 3 real etcd members and 3 real irmd nodes (`--cluster-etcd`, `--node-name`)
// on loopback, for the end-to-end cluster tests (e2e_cluster_test.cc,
// e2e_cluster_partition_test.cc, cluster_torture_test.cc).
//
// Nodes 0 and 1 reach etcd directly; node 2 reaches every member through a TcpProxy of its
// own (proxies_[m] forwards to member m), so a test can cut node 2 off from etcd (a network
// partition) and heal it (CutNode2 / HealNode2). Every node shares one signing key.
// A test class that sets serve_http_ before SetUp also has every node serve HTTP
// (`--http 127.0.0.1:0`); http_address(i) is where node i's HTTP side listens, as irmd printed it.
#ifndef IRM_TESTS_CLUSTER_CLUSTER_FIXTURE_H_
#define IRM_TESTS_CLUSTER_CLUSTER_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "engine/cluster/etcd_client.h"
#include "gtest/gtest.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/crash_verify.h"
#include "tests/http_fixture.h"
#include "tests/merkle_check.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/irm_json.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {

// Follows grpc.health.v1 Health/Watch of one service on one irmd (raw bytes: Debian ships no
// health stubs) on a thread of its own, until destroyed.
class HealthWatch {
 public:
  enum Status { kUnknown = 0, kServing = 1, kNotServing = 2 };

  HealthWatch(const std::string& address, const std::string& service)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())) {
    std::string request_bytes = absl::StrCat(std::string(1, '\x0a'),
                                             std::string(1, static_cast<char>(service.size())),
                                             service);  // HealthCheckRequest{service}
    thread_ = std::thread([this, request_bytes] {
      grpc::Slice slice(request_bytes);
      grpc::ByteBuffer request(&slice, 1);
      auto reader = std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>>(
          grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
              channel_.get(),
              grpc::internal::RpcMethod("/grpc.health.v1.Health/Watch",
                                        grpc::internal::RpcMethod::SERVER_STREAMING),
              &context_, request));
      grpc::ByteBuffer response;
      while (reader->Read(&response)) {
        std::vector<grpc::Slice> slices;
        std::string bytes;
        if (response.Dump(&slices).ok()) {
          for (const grpc::Slice& s : slices) {
            bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
          }
        }
        absl::MutexLock lock(&mu_);
        if (bytes.size() == 2 && bytes[0] == '\x08') status_ = bytes[1];
      }
      reader->Finish();
    });
  }
  ~HealthWatch() {
    context_.TryCancel();
    thread_.join();
  }

  // True once the watched status is `want` (within `timeout`).
  bool WaitFor(Status want, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto is = [this, want]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return status_ == want; };
    return mu_.AwaitWithTimeout(absl::Condition(&is), timeout);
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  grpc::ClientContext context_;
  absl::Mutex mu_;
  int status_ ABSL_GUARDED_BY(mu_) = kUnknown;
  std::thread thread_;
};

class ClusterFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveEtcd()) GTEST_SKIP() << "no etcd at " << EtcdPath();
    absl::StatusOr<std::unique_ptr<EtcdCluster>> etcd = EtcdCluster::Start(dir_.path());
    ASSERT_TRUE(etcd.ok()) << etcd.status();
    etcd_ = *std::move(etcd);
    for (int m = 0; m < etcd_->size(); ++m) {
      int port = 0;
      ASSERT_TRUE(absl::SimpleAtoi(etcd_->address(m).substr(etcd_->address(m).rfind(':') + 1),
                                   &port));
      absl::StatusOr<std::unique_ptr<TcpProxy>> proxy = TcpProxy::Start(port);
      ASSERT_TRUE(proxy.ok()) << proxy.status();
      proxies_.push_back(*std::move(proxy));
    }
    absl::StatusOr<SigningKeyFiles> keys = MakeSigningKey(dir_.path());
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = *keys;
    for (int i = 0; i < 3; ++i) {
      nodes_.emplace_back();
      StartNode(i);
    }
  }

  // The --cluster-etcd list node i uses: the members, or (node 2) their proxies.
  std::string EtcdUrlsOf(int i) const {
    if (i != 2) return etcd_->client_urls();
    std::vector<std::string> urls;
    for (const auto& proxy : proxies_) urls.push_back(absl::StrCat("http://", proxy->address()));
    return absl::StrJoin(urls, ",");
  }

  void StartNode(int i) { StartNodeOn(i, dir_.Sub(absl::StrCat("node", i))); }

  // Starts node i on data folder `data`, with `extra` arguments (e.g. --restore-from).
  void StartNodeOn(int i, const std::string& data, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--cluster-etcd", EtcdUrlsOf(i), "--node-name",
                                     absl::StrCat("irm-", i), "--signing-key", keys_.private_key};
    if (serve_http_) {
      args.push_back("--http");
      args.push_back("127.0.0.1:0");
    }
    args.insert(args.end(), extra.begin(), extra.end());
    absl::StatusOr<std::unique_ptr<IrmdProcess>> node = IrmdProcess::Start(data, args);
    ASSERT_TRUE(node.ok()) << node.status();
    if (static_cast<size_t>(i) >= nodes_.size()) nodes_.resize(i + 1);
    nodes_[i] = *std::move(node);
  }

  // HOST:PORT of node i's HTTP side ("irmd http listening on ..." in its stderr, printed
  // before it announces its gRPC address); "" without serve_http_.
  std::string http_address(int i) const { return HttpAddressOf(nodes_[i]->stderr_text()); }

  void CutNode2() {
    for (auto& proxy : proxies_) proxy->Cut();
  }
  void HealNode2() {
    for (auto& proxy : proxies_) proxy->Heal();
  }

  // The whole log of node i once it holds `head` events (a subscription that ends after
  // `head` events is the wait), read back over gRPC.
  LogSnapshot SnapshotAt(int i, uint64_t head) {
    if (head > 0) {
      IrmResult waited = RunIrm(nodes_[i]->address(),
                                {"subscribe", "--from", "start", "--count", absl::StrCat(head)});
      EXPECT_EQ(waited.exit_code, 0) << waited;
    }
    std::unique_ptr<api::v1::LogService::Stub> stub =
        api::v1::LogService::NewStub(LogChannel(nodes_[i]->address()));
    absl::StatusOr<LogSnapshot> log = ReadWholeLog(*stub);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *log : LogSnapshot();
  }

  // The cluster's head as etcd holds it (/irm/head), asked of the running members; during
  // an election the read fails (each try waits for the call timeout, short here so the
  // head is known soon after the election), so it tries again for up to 20 s.
  uint64_t EtcdHead() {
    cluster::EtcdClientOptions options;
    options.call_timeout = absl::Milliseconds(300);
    for (int m = 0; m < etcd_->size(); ++m) {
      if (etcd_->running(m)) options.endpoints.push_back(etcd_->client_url(m));
    }
    absl::StatusOr<std::unique_ptr<cluster::EtcdClient>> client =
        cluster::EtcdClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    if (!client.ok()) return 0;
    etcdserverpb::RangeRequest range;
    range.set_key("/irm/head");
    absl::StatusOr<etcdserverpb::RangeResponse> head = (*client)->Range(range);
    for (const absl::Time give_up = absl::Now() + absl::Seconds(20);
         !head.ok() && absl::Now() < give_up;) {
      head = (*client)->Range(range);
    }
    EXPECT_TRUE(head.ok()) << head.status();
    uint64_t position = 0;
    if (head.ok() && head->kvs_size() == 1) {
      EXPECT_TRUE(absl::SimpleAtoi(head->kvs(0).value(), &position));
    }
    return position;
  }

  // `irm verify --json` on node i: its root.
  std::string VerifiedRoot(int i, uint64_t events) {
    std::vector<nlohmann::json> report =
        RunIrmJson(nodes_[i]->address(), {"verify", "--public-key", keys_.public_key});
    EXPECT_EQ(report.size(), 1u);
    if (report.size() != 1) return "";
    EXPECT_EQ(report[0].value("events", 0ull), events) << report[0].dump();
    return report[0].value("root", "");
  }

  // `irm admin replay-check --json` on node i: for each projection, its position and the
  // digest of its live state ("POSITION DIGEST"). A test failure if a projection differs from
  // its replay or could not be compared. Equal maps on two nodes at one head mean equal
  // projections (the digest covers every key and value, docs/audit-history.md).
  std::map<std::string, std::string> ProjectionDigests(int i) {
    std::vector<nlohmann::json> rows =
        RunIrmJson(nodes_[i]->address(), {"admin", "replay-check"});
    std::map<std::string, std::string> digests;
    for (const nlohmann::json& row : rows) {
      EXPECT_TRUE(row.value("equal", false)) << "node " << i << ": " << row.dump();
      digests[row.value("name", "")] =
          absl::StrCat(row.value("position", 0ull), " ", row.value("live_digest", ""));
    }
    EXPECT_FALSE(digests.empty()) << "node " << i << ": replay-check listed no projection";
    return digests;
  }

  TempDir dir_{"irm-e2e-cluster"};
  bool serve_http_ = false;
  std::unique_ptr<EtcdCluster> etcd_;
  std::vector<std::unique_ptr<TcpProxy>> proxies_;
  SigningKeyFiles keys_;
  std::vector<std::unique_ptr<IrmdProcess>> nodes_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_CLUSTER_CLUSTER_FIXTURE_H_
