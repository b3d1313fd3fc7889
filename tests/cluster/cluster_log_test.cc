// The cluster log: several nodes (RocksDbEventLog + EtcdReplicator, in this process, each on
// its own folder) over one real etcd. Appends on every node share one gap-free position
// sequence with identical bytes and Merkle roots; a node reads its own writes; expected
// revisions and idempotency hold across nodes; a restarted node and a new empty node catch
// up; a node without etcd refuses appends with UNAVAILABLE and keeps reading; a folder of
// another log is refused.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/audit/tree_proofs.h"
#include "engine/cluster/etcd_client.h"
#include "engine/cluster/etcd_replicator.h"
#include "engine/common/error_details.h"
#include "engine/common/mutex.h"
#include "engine/common/uuid.h"
#include "engine/store/rocksdb_event_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/temp_dir.h"

namespace irm::cluster {
namespace {

using ::irm::tests::EtcdCluster;
using ::irm::tests::TempDir;
using ::testing::HasSubstr;

// One node: its etcd client, replicator and local copy. Waits on its head through the
// commit listener.
class Node {
 public:
  static std::unique_ptr<Node> Open(const std::string& dir, const std::string& etcd_urls) {
    auto node = std::unique_ptr<Node>(new Node());
    absl::StatusOr<std::vector<std::string>> endpoints = ParseEtcdEndpoints(etcd_urls);
    EXPECT_TRUE(endpoints.ok());
    EtcdClientOptions client_options;
    client_options.endpoints = *endpoints;
    client_options.call_timeout = absl::Seconds(1);
    absl::StatusOr<std::unique_ptr<EtcdClient>> client = EtcdClient::Create(client_options);
    EXPECT_TRUE(client.ok()) << client.status();
    node->client_ = *std::move(client);
    node->replicator_ = std::make_unique<EtcdReplicator>(node->client_.get());
    store::RocksDbEventLogOptions options;
    options.replicator = node->replicator_.get();
    absl::StatusOr<std::unique_ptr<store::RocksDbEventLog>> log =
        store::RocksDbEventLog::Open(dir, options);
    EXPECT_TRUE(log.ok()) << log.status();
    if (!log.ok()) return nullptr;
    node->log_ = *std::move(log);
    node->log_->SetCommitListener([raw = node.get()](uint64_t head, std::vector<log::CommittedEvent>) {
      common::MutexLock lock(&raw->mu_);
      raw->head_ = head;
    });
    {
      common::MutexLock lock(&node->mu_);
      node->head_ = node->log_->HeadPosition();
    }
    node->copy_status_ = node->replicator_->CheckCopy(*node->log_);
    if (node->copy_status_.ok()) node->replicator_->Start(node->log_.get());
    return node;
  }

  ~Node() {
    replicator_->Stop();
    log_->SetCommitListener(nullptr);
    log_->Close();
    log_.reset();
  }

  store::RocksDbEventLog& log() { return *log_; }
  const absl::Status& copy_status() const { return copy_status_; }

  // True once the local copy reached `head` (within 15 s).
  bool WaitForHead(uint64_t head) {
    struct Target {
      Node* node;
      uint64_t head;
    } target{this, head};
    common::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(
        absl::Condition(+[](Target* t) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return t->node->head_ >= t->head;
        }, &target),
        absl::Seconds(15));
  }

 private:
  Node() = default;

  std::unique_ptr<EtcdClient> client_;
  std::unique_ptr<EtcdReplicator> replicator_;
  std::unique_ptr<store::RocksDbEventLog> log_;
  absl::Status copy_status_;
  common::Mutex mu_;
  uint64_t head_ ABSL_GUARDED_BY(mu_) = 0;
};

log::AppendRequest Request(const std::string& stream, const std::string& id,
                           log::ExpectedRevision expected = log::ExpectedRevision::Any()) {
  log::AppendRequest request;
  request.stream = stream;
  request.expected = expected;
  log::ProposedEvent& event = request.events.emplace_back();
  event.id = id;
  event.type = "Noted";
  event.data = absl::StrCat("{\"stream\":\"", stream, "\"}");
  return request;
}

std::string NewId() { return common::Uuid::Random().Bytes(); }

std::vector<std::string> AllBytes(store::RocksDbEventLog& log) {
  log::ReadAllOptions read;
  read.max_count = 100000;
  absl::StatusOr<std::vector<std::string>> all = log.ReadAllEncoded(read);
  EXPECT_TRUE(all.ok()) << all.status();
  return all.ok() ? *all : std::vector<std::string>();
}

std::string Root(store::RocksDbEventLog& log, uint64_t size) {
  absl::StatusOr<audit::Hash> root = audit::RootAt(*log.audit_store(), size);
  EXPECT_TRUE(root.ok()) << root.status();
  return root.ok() ? std::string(root->begin(), root->end()) : "";
}

class ClusterLogTest : public ::testing::Test {
 protected:
  virtual int members() const { return 1; }
  void SetUp() override {
    if (!tests::HaveEtcd()) GTEST_SKIP() << "no etcd at " << tests::EtcdPath();
    tests::EtcdClusterOptions options;
    options.members = members();
    absl::StatusOr<std::unique_ptr<EtcdCluster>> etcd =
        EtcdCluster::Start(dir_.path(), options);
    ASSERT_TRUE(etcd.ok()) << etcd.status();
    etcd_ = *std::move(etcd);
  }
  std::unique_ptr<Node> OpenNode(const std::string& name) {
    return Node::Open(dir_.Sub(name), etcd_->client_urls());
  }

  TempDir dir_{"irm-cluster-log"};
  std::unique_ptr<EtcdCluster> etcd_;
};

TEST_F(ClusterLogTest, AppendsOnEveryNodeShareOnePositionSequence) {
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(OpenNode(absl::StrCat("node", i)));
  for (auto& node : nodes) ASSERT_NE(node, nullptr);
  constexpr int kPerWriter = 40;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([&, w] {
      Node& node = *nodes[w % 3];
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string stream = absl::StrCat("s-", w % 2);  // streams shared by nodes
        absl::StatusOr<log::AppendResult> result = node.log().Append(Request(stream, NewId()));
        if (!result.ok()) {
          ++failures;
          ADD_FAILURE() << result.status();
          continue;
        }
        // Read-your-writes: the node that answered has the event.
        absl::StatusOr<log::StreamInfo> info = node.log().GetStreamInfo(stream);
        if (!info.ok() || info->last_position < result->last_position) {
          ++failures;
          ADD_FAILURE() << "node does not read its own write at " << result->last_position;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  ASSERT_EQ(failures.load(), 0);
  const uint64_t total = 6 * kPerWriter;
  for (auto& node : nodes) ASSERT_TRUE(node->WaitForHead(total));
  const std::vector<std::string> first = AllBytes(nodes[0]->log());
  ASSERT_EQ(first.size(), total);
  for (auto& node : nodes) {
    EXPECT_EQ(node->log().HeadPosition(), total);
    EXPECT_TRUE(AllBytes(node->log()) == first) << "a node's copy differs";
    EXPECT_EQ(Root(node->log(), total), Root(nodes[0]->log(), total));
  }
  // Revisions in each stream are dense too.
  for (int s = 0; s < 2; ++s) {
    absl::StatusOr<log::StreamInfo> info = nodes[2]->log().GetStreamInfo(absl::StrCat("s-", s));
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->event_count, 3u * kPerWriter);
  }
}

TEST_F(ClusterLogTest, ExpectedRevisionsAndIdempotencyHoldAcrossNodes) {
  std::unique_ptr<Node> a = OpenNode("a");
  std::unique_ptr<Node> b = OpenNode("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const std::string id = NewId();
  absl::StatusOr<log::AppendResult> first =
      a->log().Append(Request("review-KEN-2", id, log::ExpectedRevision::NoStream()));
  ASSERT_TRUE(first.ok()) << first.status();
  // Node b decides against the cluster's head, whatever its copy had seen.
  absl::StatusOr<log::AppendResult> conflict =
      b->log().Append(Request("review-KEN-2", NewId(), log::ExpectedRevision::NoStream()));
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAborted) << conflict.status();
  // A retry of a's append on b answers with the original position.
  absl::StatusOr<log::AppendResult> retry =
      b->log().Append(Request("review-KEN-2", id, log::ExpectedRevision::NoStream()));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->already_written);
  EXPECT_EQ(retry->first_position, first->first_position);
  absl::StatusOr<log::AppendResult> next =
      b->log().Append(Request("review-KEN-2", NewId(), log::ExpectedRevision::Exact(0)));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->first_position, 2u);
  EXPECT_EQ(next->first_revision, 1u);
}

TEST_F(ClusterLogTest, RestartedAndNewNodesCatchUp) {
  std::unique_ptr<Node> a = OpenNode("a");
  std::unique_ptr<Node> b = OpenNode("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(a->log().Append(Request("s", NewId())).ok());
  ASSERT_TRUE(b->WaitForHead(10));
  b.reset();  // stopped
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(a->log().Append(Request("s", NewId())).ok());
  b = OpenNode("b");  // restarted on its folder: catches up by range reads
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->copy_status().ok()) << b->copy_status();
  std::unique_ptr<Node> c = OpenNode("c");  // new and empty
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(b->WaitForHead(310));
  ASSERT_TRUE(c->WaitForHead(310));
  EXPECT_TRUE(AllBytes(b->log()) == AllBytes(a->log()));
  EXPECT_TRUE(AllBytes(c->log()) == AllBytes(a->log()));
  EXPECT_EQ(Root(c->log(), 310), Root(a->log(), 310));
  // And the new node writes in turn.
  absl::StatusOr<log::AppendResult> appended = c->log().Append(Request("s", NewId()));
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ(appended->first_position, 311u);
  ASSERT_TRUE(a->WaitForHead(311));
}

TEST_F(ClusterLogTest, WithoutEtcdAppendsAreUnavailableAndReadsGoOn) {
  std::unique_ptr<Node> a = OpenNode("a");
  ASSERT_NE(a, nullptr);
  const std::string id = NewId();
  ASSERT_TRUE(a->log().Append(Request("s", NewId())).ok());
  ASSERT_TRUE(etcd_->Kill9(0).ok());
  absl::StatusOr<log::AppendResult> refused = a->log().Append(Request("s", id));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("cluster's log"));
  EXPECT_EQ(a->log().HeadPosition(), 1u);
  EXPECT_TRUE(a->log().GetStreamInfo("s").ok());
  ASSERT_TRUE(etcd_->Restart(0).ok());
  // The same append (same id) goes through once etcd is back: exactly once. A client
  // retries after the delay the refusal names.
  absl::StatusOr<log::AppendResult> appended;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(20); absl::Now() < deadline;) {
    appended = a->log().Append(Request("s", id));
    if (appended.ok()) break;
    ASSERT_EQ(appended.status().code(), absl::StatusCode::kUnavailable) << appended.status();
    std::optional<absl::Duration> delay = common::GetRetryDelay(appended.status());
    ASSERT_TRUE(delay.has_value()) << appended.status();
    absl::SleepFor(*delay);
  }
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ(appended->first_position, 2u);
}

TEST_F(ClusterLogTest, APartitionedNodeRefusesAppendsThenConverges) {
  const std::string member = etcd_->address(0);
  int port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(member.substr(member.rfind(':') + 1), &port));
  absl::StatusOr<std::unique_ptr<tests::TcpProxy>> proxy = tests::TcpProxy::Start(port);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  std::unique_ptr<Node> a = Node::Open(dir_.Sub("a"), "http://" + (*proxy)->address());
  std::unique_ptr<Node> b = OpenNode("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->log().Append(Request("s", NewId())).ok());

  (*proxy)->Cut();  // a cannot reach etcd; b can
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b->log().Append(Request("s", NewId())).ok());
  const std::string id = NewId();
  absl::StatusOr<log::AppendResult> refused = a->log().Append(Request("s", id));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  // a does not diverge and keeps answering reads from its copy.
  EXPECT_EQ(a->log().HeadPosition(), 1u);
  absl::StatusOr<log::StreamInfo> info = a->log().GetStreamInfo("s");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->event_count, 1u);

  (*proxy)->Heal();  // a's tail catches up, and the same append goes through exactly once
  ASSERT_TRUE(a->WaitForHead(6));
  absl::StatusOr<log::AppendResult> appended;
  for (const absl::Time deadline = absl::Now() + absl::Seconds(20); absl::Now() < deadline;) {
    appended = a->log().Append(Request("s", id));
    if (appended.ok()) break;
    std::optional<absl::Duration> delay = common::GetRetryDelay(appended.status());
    ASSERT_TRUE(delay.has_value()) << appended.status();
    absl::SleepFor(*delay);  // the retry delay the refusal names
  }
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ(appended->first_position, 7u);
  ASSERT_TRUE(b->WaitForHead(7));
  EXPECT_TRUE(AllBytes(a->log()) == AllBytes(b->log()));
}

TEST_F(ClusterLogTest, RefusesTheFolderOfAnotherLog) {
  const std::string foreign = dir_.Sub("foreign");
  {
    absl::StatusOr<std::unique_ptr<store::RocksDbEventLog>> standalone =
        store::RocksDbEventLog::Open(foreign, {});
    ASSERT_TRUE(standalone.ok());
    ASSERT_TRUE((*standalone)->Append(Request("s", NewId())).ok());
  }
  std::unique_ptr<Node> node = Node::Open(foreign, etcd_->client_urls());
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->copy_status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(node->copy_status().message()), HasSubstr("belongs to another log"));
}

// Three etcd members: the leader is killed under writers on two nodes.
class ClusterLogFailoverTest : public ClusterLogTest {
 protected:
  int members() const override { return 3; }
};

TEST_F(ClusterLogFailoverTest, KillNineOfTheEtcdLeaderUnderWriters) {
  std::unique_ptr<Node> a = OpenNode("a");
  std::unique_ptr<Node> b = OpenNode("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  // Each writer appends events with fresh ids and retries a failed append with the same id
  // (after the delay the refusal names) until it is acknowledged: ambiguous outcomes are
  // resolved by the ids.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> last_ack_us{0};
  common::Mutex acked_mu;
  std::vector<std::string> acked;  // ids acknowledged
  absl::Duration longest_pause;
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      Node& node = w % 2 == 0 ? *a : *b;
      absl::Time last = absl::Now();
      while (!stop.load()) {
        const std::string id = NewId();
        for (;;) {
          absl::StatusOr<log::AppendResult> result =
              node.log().Append(Request(absl::StrCat("w-", w), id));
          if (result.ok()) break;
          if (result.status().code() != absl::StatusCode::kUnavailable) {
            ADD_FAILURE() << result.status();
            return;
          }
          std::optional<absl::Duration> delay = common::GetRetryDelay(result.status());
          absl::SleepFor(std::min(delay.value_or(absl::Milliseconds(100)), absl::Milliseconds(100)));
        }
        const absl::Time now = absl::Now();
        common::MutexLock lock(&acked_mu);
        longest_pause = std::max(longest_pause, now - last);
        last = now;
        acked.push_back(id);
      }
    });
  }
  auto acked_count = [&] {
    common::MutexLock lock(&acked_mu);
    return acked.size();
  };
  auto wait_acked = [&](size_t count) {
    common::MutexLock lock(&acked_mu);
    struct Target {
      std::vector<std::string>* acked;
      size_t count;
    } target{&acked, count};
    return acked_mu.AwaitWithTimeout(
        absl::Condition(+[](Target* t) { return t->acked->size() >= t->count; }, &target),
        absl::Seconds(30));
  };
  ASSERT_TRUE(wait_acked(200));
  int leader = -1;
  {
    EtcdClientOptions options;
    for (int i = 0; i < 3; ++i) options.endpoints.push_back(etcd_->client_url(i));
    absl::StatusOr<std::unique_ptr<EtcdClient>> client = EtcdClient::Create(options);
    ASSERT_TRUE(client.ok());
    for (int i = 0; i < 3 && leader < 0; ++i) {
      absl::StatusOr<etcdserverpb::StatusResponse> status = (*client)->MemberStatus(i);
      if (status.ok() && status->leader() == status->header().member_id()) leader = i;
    }
  }
  ASSERT_GE(leader, 0);
  ASSERT_TRUE(etcd_->Kill9(leader).ok());
  {
    common::MutexLock lock(&acked_mu);
    longest_pause = absl::ZeroDuration();  // measured from here
  }
  ASSERT_TRUE(wait_acked(acked_count() + 200));  // appends resume after the election
  stop = true;
  for (std::thread& t : writers) t.join();
  EXPECT_LT(longest_pause, absl::Seconds(5));

  const uint64_t head = std::max(a->log().HeadPosition(), b->log().HeadPosition());
  ASSERT_TRUE(a->WaitForHead(head));
  ASSERT_TRUE(b->WaitForHead(head));
  std::vector<std::string> bytes = AllBytes(a->log());
  EXPECT_TRUE(bytes == AllBytes(b->log()));
  // Every acknowledged id exactly once; positions gap-free (ReadAll checks density).
  absl::flat_hash_map<std::string, int> seen;
  for (const std::string& stored : bytes) {
    log::EventRecord record;
    ASSERT_TRUE(record.ParseFromString(stored));
    ++seen[record.id()];
  }
  EXPECT_EQ(bytes.size(), head);
  for (const std::string& id : acked) EXPECT_EQ(seen[id], 1);
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1);
}

}  // namespace
}  // namespace irm::cluster
