// The etcd client (engine/cluster/etcd_client.h) against real etcd members started by the
// test: transactions guarded by a compare, bounded range reads, moving to the next endpoint
// when a member is down, watches from a revision, a watch cancelled when its member loses
// the quorum (hasleader), compaction, etcd user auth and TLS with client certificates.
#include "engine/cluster/etcd_client.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/error_details.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::cluster {
namespace {

using ::irm::tests::EtcdCluster;
using ::irm::tests::EtcdClusterOptions;
using ::irm::tests::TempDir;
using ::testing::HasSubstr;

#define SKIP_WITHOUT_ETCD()                                               \
  if (!::irm::tests::HaveEtcd()) GTEST_SKIP() << "no etcd at " << ::irm::tests::EtcdPath()

std::unique_ptr<EtcdClient> Client(std::vector<std::string> endpoints, EtcdClientOptions options = {}) {
  options.endpoints = std::move(endpoints);
  absl::StatusOr<std::unique_ptr<EtcdClient>> client = EtcdClient::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

std::vector<std::string> Urls(const EtcdCluster& cluster) {
  std::vector<std::string> urls;
  for (int i = 0; i < cluster.size(); ++i) urls.push_back(cluster.client_url(i));
  return urls;
}

// The transaction cluster mode commits with: if `head` is `expected` (absent for ""), put
// the event keys and the new head.
etcdserverpb::TxnRequest AppendTxn(const std::string& expected,
                                   const std::vector<std::pair<std::string, std::string>>& puts,
                                   const std::string& new_head) {
  etcdserverpb::TxnRequest txn;
  etcdserverpb::Compare* compare = txn.add_compare();
  compare->set_key("/t/head");
  if (expected.empty()) {
    compare->set_target(etcdserverpb::Compare::VERSION);
    compare->set_version(0);
  } else {
    compare->set_target(etcdserverpb::Compare::VALUE);
    compare->set_value(expected);
  }
  for (const auto& [key, value] : puts) {
    etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
    put->set_key(key);
    put->set_value(value);
  }
  etcdserverpb::PutRequest* head = txn.add_success()->mutable_request_put();
  head->set_key("/t/head");
  head->set_value(new_head);
  return txn;
}

absl::StatusOr<etcdserverpb::PutResponse> Put(EtcdClient& client, const std::string& key,
                                              const std::string& value) {
  etcdserverpb::PutRequest put;
  put.set_key(key);
  put.set_value(value);
  return client.Put(put);
}

// Runs `script` with sh in `dir`; the error holds its output.
absl::Status Sh(const std::string& dir, const std::string& script) {
  tests::SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", "cd '" + dir + "' && " + script};
  absl::StatusOr<std::unique_ptr<tests::Subprocess>> process = tests::Subprocess::Start(options);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> status = (*process)->Wait(absl::Seconds(60));
  if (!status.ok()) return status.status();
  if (*status != 0) {
    return absl::InternalError(absl::StrCat("sh failed (", *status, "): ", script, "\n",
                                            (*process)->stdout_text(),
                                            (*process)->stderr_text()));
  }
  return absl::OkStatus();
}

TEST(ParseEtcdEndpointsTest, AcceptsUrlsAndHostPorts) {
  absl::StatusOr<std::vector<std::string>> endpoints =
      ParseEtcdEndpoints("http://127.0.0.1:2379, https://etcd-2:2379,10.0.0.3:2379");
  ASSERT_TRUE(endpoints.ok()) << endpoints.status();
  EXPECT_THAT(*endpoints, ::testing::ElementsAre("http://127.0.0.1:2379", "https://etcd-2:2379",
                                                 "10.0.0.3:2379"));
}

TEST(ParseEtcdEndpointsTest, RefusesEmptyAndMalformed) {
  absl::StatusOr<std::vector<std::string>> empty = ParseEtcdEndpoints(" , ");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("--cluster-etcd is empty"));
  absl::StatusOr<std::vector<std::string>> bad = ParseEtcdEndpoints("http://etcd-1");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("'http://etcd-1' is not an etcd client URL; give HOST:PORT"));
}

TEST(EtcdClientTest, CreateRefusesACertificateWithoutKey) {
  EtcdClientOptions options;
  options.endpoints = {"127.0.0.1:2379"};
  options.tls_cert_file = "/nonexistent.pem";
  absl::StatusOr<std::unique_ptr<EtcdClient>> client = EtcdClient::Create(options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(client.status().message()), HasSubstr("--etcd-tls-key"));
}

class EtcdClientClusterTest : public ::testing::Test {
 protected:
  void StartCluster(int members, EtcdClusterOptions options = {}) {
    options.members = members;
    absl::StatusOr<std::unique_ptr<EtcdCluster>> cluster =
        EtcdCluster::Start(dir_.path(), std::move(options));
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
  }

  TempDir dir_{"irm-etcd"};
  std::unique_ptr<EtcdCluster> cluster_;
};

TEST_F(EtcdClientClusterTest, GuardedTransactionsAndBoundedRanges) {
  SKIP_WITHOUT_ETCD();
  StartCluster(1);
  std::unique_ptr<EtcdClient> client = Client(Urls(*cluster_));
  ASSERT_NE(client, nullptr);

  absl::StatusOr<etcdserverpb::TxnResponse> first =
      client->Txn(AppendTxn("", {{"/t/log/01", "a"}, {"/t/log/02", "b"}}, "02"),
                  EtcdClient::Resend::kGuarded);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->succeeded());
  const int64_t commit_revision = first->header().revision();

  // The same compare again fails: the head moved. Nothing is written.
  absl::StatusOr<etcdserverpb::TxnResponse> stale =
      client->Txn(AppendTxn("", {{"/t/log/03", "c"}}, "03"), EtcdClient::Resend::kGuarded);
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_FALSE(stale->succeeded());
  absl::StatusOr<etcdserverpb::TxnResponse> next =
      client->Txn(AppendTxn("02", {{"/t/log/03", "c"}}, "03"), EtcdClient::Resend::kGuarded);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_TRUE(next->succeeded());

  // A page bounded by key at the first commit's revision sees exactly that commit's puts,
  // which share its revision.
  etcdserverpb::RangeRequest range;
  range.set_key("/t/log/");
  range.set_range_end("/t/log0");
  range.set_revision(commit_revision);
  absl::StatusOr<etcdserverpb::RangeResponse> page = client->Range(range);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->kvs_size(), 2);
  EXPECT_EQ(page->kvs(0).key(), "/t/log/01");
  EXPECT_EQ(page->kvs(1).value(), "b");
  EXPECT_EQ(page->kvs(0).mod_revision(), commit_revision);
  EXPECT_EQ(page->kvs(1).mod_revision(), commit_revision);
  range.set_revision(0);
  page = client->Range(range);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->kvs_size(), 3);

  // etcd's own limits come back as etcd's codes: the same key twice in one transaction.
  absl::StatusOr<etcdserverpb::TxnResponse> twice =
      client->Txn(AppendTxn("03", {{"/t/log/04", "d"}, {"/t/log/04", "e"}}, "04"),
                  EtcdClient::Resend::kGuarded);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(twice.status().message()),
              HasSubstr(absl::StrCat("etcd at ", cluster_->address(0), ": transaction: ")));
}

TEST_F(EtcdClientClusterTest, MovesToTheNextEndpointWhenAMemberIsDown) {
  SKIP_WITHOUT_ETCD();
  StartCluster(3);
  absl::StatusOr<int> dead = tests::FreeLoopbackPort();
  ASSERT_TRUE(dead.ok());
  // The member the client ends up on is a follower, so killing it costs no election: this
  // test is about the client's endpoint rotation (the leader's loss is the failover tests').
  int leader = -1;
  {
    std::unique_ptr<EtcdClient> status_client = Client(Urls(*cluster_));
    ASSERT_NE(status_client, nullptr);
    for (int i = 0; i < cluster_->size() && leader < 0; ++i) {
      absl::StatusOr<etcdserverpb::StatusResponse> status = status_client->MemberStatus(i);
      if (status.ok() && status->leader() == status->header().member_id()) leader = i;
    }
  }
  ASSERT_GE(leader, 0);
  std::vector<std::string> endpoints = {absl::StrCat("http://127.0.0.1:", *dead)};
  for (int i = 0; i < cluster_->size(); ++i) {
    if (i != leader) endpoints.push_back(cluster_->client_url(i));
  }
  endpoints.push_back(cluster_->client_url(leader));
  EtcdClientOptions options;
  options.call_timeout = absl::Milliseconds(700);  // a dead endpoint costs one timeout
  std::unique_ptr<EtcdClient> client = Client(endpoints, options);
  ASSERT_NE(client, nullptr);

  // Nothing listens at the first endpoint: the read goes to the next one.
  etcdserverpb::RangeRequest range;
  range.set_key("/t/a");
  absl::StatusOr<etcdserverpb::RangeResponse> read = client->Range(range);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_NE(client->current(), 0u);

  // The member in use dies: the next call moves on and succeeds.
  const size_t in_use = client->current();
  ASSERT_EQ(in_use, 1u);  // the first follower
  const int member_in_use = leader == 0 ? 1 : 0;
  ASSERT_TRUE(cluster_->Kill9(member_in_use).ok());
  absl::StatusOr<etcdserverpb::TxnResponse> txn =
      client->Txn(AppendTxn("", {{"/t/log/01", "a"}}, "01"), EtcdClient::Resend::kGuarded);
  ASSERT_TRUE(txn.ok()) << txn.status();
  EXPECT_TRUE(txn->succeeded());
  EXPECT_NE(client->current(), in_use);
}

TEST_F(EtcdClientClusterTest, UnguardedWriteToADeadMemberIsAnUnknownOutcome) {
  SKIP_WITHOUT_ETCD();
  StartCluster(1);
  std::unique_ptr<EtcdClient> client = Client({cluster_->client_url(0)});
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "/t/a", "1").ok());
  ASSERT_TRUE(cluster_->Kill9(0).ok());
  absl::StatusOr<etcdserverpb::PutResponse> put = Put(*client, "/t/a", "2");
  EXPECT_EQ(put.status().code(), absl::StatusCode::kUnavailable);
  std::optional<common::ErrorReason> reason = common::GetErrorReason(put.status());
  ASSERT_TRUE(reason.has_value()) << put.status();
  EXPECT_EQ(reason->reason, "ETCD_OUTCOME_UNKNOWN");

  // The member comes back on its port: the client reconnects within its backoff (1 s).
  ASSERT_TRUE(cluster_->Restart(0).ok());
  etcdserverpb::RangeRequest range;
  range.set_key("/t/a");
  absl::StatusOr<etcdserverpb::RangeResponse> read;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(10); absl::Now() < deadline;) {
    read = client->Range(range);
    if (read.ok()) break;
    absl::SleepFor(absl::Milliseconds(200));  // a client's retry delay
  }
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->kvs(0).value(), "1");
}

TEST_F(EtcdClientClusterTest, WatchFromARevisionAndAfterCompaction) {
  SKIP_WITHOUT_ETCD();
  StartCluster(1);
  std::unique_ptr<EtcdClient> client = Client({cluster_->client_url(0)});
  ASSERT_NE(client, nullptr);
  absl::StatusOr<etcdserverpb::PutResponse> first = Put(*client, "/t/log/01", "a");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(Put(*client, "/t/log/02", "b").ok());

  etcdserverpb::WatchCreateRequest create;
  create.set_key("/t/log/");
  create.set_range_end("/t/log0");
  create.set_start_revision(first->header().revision());
  absl::StatusOr<std::unique_ptr<EtcdWatch>> watch = client->Watch(create);
  ASSERT_TRUE(watch.ok()) << watch.status();
  std::vector<std::string> seen;
  while (seen.size() < 3) {
    if (seen.size() == 2) ASSERT_TRUE(Put(*client, "/t/log/03", "c").ok());
    absl::StatusOr<etcdserverpb::WatchResponse> response = (*watch)->Next();
    ASSERT_TRUE(response.ok()) << response.status();
    for (const mvccpb::Event& event : response->events()) seen.push_back(event.kv().value());
  }
  EXPECT_THAT(seen, ::testing::ElementsAre("a", "b", "c"));
  // Cancel ends a blocked Next from another thread.
  std::thread canceller([&] { (*watch)->Cancel(); });
  EXPECT_EQ((*watch)->Next().status().code(), absl::StatusCode::kUnavailable);
  canceller.join();

  // After compaction a watch from before it is cancelled, naming the compaction revision.
  absl::StatusOr<etcdserverpb::PutResponse> last = Put(*client, "/t/log/04", "d");
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(client->Compact(last->header().revision()).ok());
  absl::StatusOr<std::unique_ptr<EtcdWatch>> old = client->Watch(create);
  ASSERT_TRUE(old.ok()) << old.status();
  absl::StatusOr<etcdserverpb::WatchResponse> cancelled = (*old)->Next();
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_TRUE(cancelled->canceled());
  EXPECT_EQ(cancelled->compact_revision(), last->header().revision());
  // And a range read at such a revision is OUT_OF_RANGE.
  etcdserverpb::RangeRequest range;
  range.set_key("/t/log/01");
  range.set_revision(first->header().revision());
  EXPECT_EQ(client->Range(range).status().code(), absl::StatusCode::kOutOfRange);
}

TEST_F(EtcdClientClusterTest, WatchOnAMemberThatLosesItsQuorumEnds) {
  SKIP_WITHOUT_ETCD();
  StartCluster(3);
  std::unique_ptr<EtcdClient> client = Client({cluster_->client_url(0)});
  ASSERT_NE(client, nullptr);
  absl::StatusOr<etcdserverpb::PutResponse> put = Put(*client, "/t/x", "1");
  ASSERT_TRUE(put.ok()) << put.status();
  etcdserverpb::WatchCreateRequest create;
  create.set_key("/t/");
  create.set_range_end("/t0");
  create.set_start_revision(put->header().revision() + 1);
  absl::StatusOr<std::unique_ptr<EtcdWatch>> watch = client->Watch(create);
  ASSERT_TRUE(watch.ok()) << watch.status();
  ASSERT_TRUE(cluster_->Kill9(1).ok());
  ASSERT_TRUE(cluster_->Kill9(2).ok());
  // Member 0 is alive but alone: with hasleader it cancels the stream once it sees no leader
  // (a few election timeouts) instead of leaving the watch silent forever.
  const absl::Time start = absl::Now();
  absl::StatusOr<etcdserverpb::WatchResponse> response = (*watch)->Next();
  if (response.ok()) {
    EXPECT_TRUE(response->canceled()) << response->DebugString();
  } else {
    EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(response.status().message()), HasSubstr("no leader"));
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

TEST_F(EtcdClientClusterTest, UserAndPassword) {
  SKIP_WITHOUT_ETCD();
  StartCluster(1);
  const std::string etcdctl = "ETCDCTL_API=3 etcdctl --endpoints=" + cluster_->client_url(0);
  ASSERT_TRUE(Sh(dir_.path(), etcdctl + " user add root:s3cret >/dev/null && " + etcdctl +
                                  " auth enable >/dev/null")
                  .ok());
  EtcdClientOptions options;
  options.user = "root";
  options.password = "s3cret";
  std::unique_ptr<EtcdClient> client = Client({cluster_->client_url(0)}, options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "/t/a", "1").ok());
  etcdserverpb::RangeRequest range;
  range.set_key("/t/a");
  absl::StatusOr<etcdserverpb::RangeResponse> read = client->Range(range);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->kvs_size(), 1);
  etcdserverpb::WatchCreateRequest create;
  create.set_key("/t/a");
  EXPECT_TRUE(client->Watch(create).ok());

  options.password = "wrong";
  std::unique_ptr<EtcdClient> wrong = Client({cluster_->client_url(0)}, options);
  absl::StatusOr<etcdserverpb::RangeResponse> refused = wrong->Range(range);
  EXPECT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("authenticating as etcd user 'root'"));
  std::unique_ptr<EtcdClient> anonymous = Client({cluster_->client_url(0)});
  EXPECT_FALSE(anonymous->Range(range).ok());
}

TEST_F(EtcdClientClusterTest, TlsWithAClientCertificate) {
  SKIP_WITHOUT_ETCD();
  const std::string ca =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=ca -keyout ca.key -out ca.pem 2>/dev/null";
  auto leaf = [](const std::string& name) {
    return "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" +
           name + " -keyout " + name + ".key -out " + name + ".csr 2>/dev/null && " +
           "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth,"
           "clientAuth\\n' > " + name + ".ext && openssl x509 -req -in " + name +
           ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile " + name +
           ".ext -out " + name + ".pem 2>/dev/null";
  };
  ASSERT_TRUE(Sh(dir_.path(), ca + " && " + leaf("server") + " && " + leaf("client")).ok());
  EtcdClusterOptions tls;
  tls.tls_cert_file = dir_.Sub("server.pem");
  tls.tls_key_file = dir_.Sub("server.key");
  tls.tls_client_ca_file = dir_.Sub("ca.pem");
  StartCluster(1, tls);

  EtcdClientOptions options;
  options.tls_ca_file = dir_.Sub("ca.pem");
  options.tls_cert_file = dir_.Sub("client.pem");
  options.tls_key_file = dir_.Sub("client.key");
  std::unique_ptr<EtcdClient> client = Client({cluster_->client_url(0)}, options);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<etcdserverpb::PutResponse> put = Put(*client, "/t/a", "1");
  ASSERT_TRUE(put.ok()) << put.status();

  // Without a client certificate etcd refuses the handshake.
  EtcdClientOptions no_cert;
  no_cert.tls_ca_file = dir_.Sub("ca.pem");
  no_cert.call_timeout = absl::Milliseconds(500);
  std::unique_ptr<EtcdClient> refused = Client({cluster_->client_url(0)}, no_cert);
  etcdserverpb::RangeRequest range;
  range.set_key("/t/a");
  EXPECT_EQ(refused->Range(range).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace irm::cluster
