// Cluster mode end to end, a node cut off from etcd (docs/cluster.md, "Failure behaviour"):
// 3 real etcd members, 3 real irmd nodes; node 2 reaches etcd through TCP proxies that the
// test cuts and heals (cluster_fixture.h).
//  - while cut off, node 2's health "irm.cluster.writes" is NOT_SERVING, its appends answer
//    UNAVAILABLE and append nothing, its reads answer from its copy and every answer's
//    trailing metadata says how far behind it may be; after healing it converges: SERVING,
//    the same log and the same `irm verify` root as the others;
//  - a subscriber that read further on node 0 resumes on node 2, which is behind its
//    checkpoint: node 2 waits for its copy instead of refusing, and once healed delivers
//    every later event exactly once; a start past the cluster's head is refused.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/cluster/cluster_fixture.h"
#include "tests/support/run_irm.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;
using E2eClusterPartitionTest = ClusterFixture;

void AppendOn(const std::string& address, int count, const std::string& stream = "notes") {
  for (int k = 0; k < count; ++k) {
    IrmResult append = RunIrm(address, {"append", stream, "Noted"});
    ASSERT_EQ(append.exit_code, 0) << append;
  }
}

// The value of trailing metadata `key` of a finished call, 0 if absent or not a number.
uint64_t TrailingNumber(const grpc::ClientContext& context, const std::string& key) {
  auto it = context.GetServerTrailingMetadata().find(key);
  uint64_t value = 0;
  if (it == context.GetServerTrailingMetadata().end()) return 0;
  EXPECT_TRUE(absl::SimpleAtoi(std::string(it->second.data(), it->second.size()), &value));
  return value;
}

std::string TrailingText(const grpc::ClientContext& context, const std::string& key) {
  auto it = context.GetServerTrailingMetadata().find(key);
  if (it == context.GetServerTrailingMetadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// What a GetLogInfo call on `address` answered and said in its trailing metadata.
struct Heads {
  uint64_t head = 0;
  uint64_t applied = 0;
  uint64_t seen = 0;
  std::string connected;
};
Heads HeadsOf(const std::string& address) {
  auto stub = api::v1::LogService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  api::v1::LogInfo info;
  const grpc::Status status = stub->GetLogInfo(&context, api::v1::GetLogInfoRequest(), &info);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {info.head_position(), TrailingNumber(context, "irm-cluster-applied-head"),
          TrailingNumber(context, "irm-cluster-seen-head"),
          TrailingText(context, "irm-cluster-connected")};
}

TEST_F(E2eClusterPartitionTest, CutOffNodeRefusesWritesKeepsReadingAndConverges) {
  HealthWatch writes(nodes_[2]->address(), "irm.cluster.writes");
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kServing, absl::Seconds(20)));
  AppendOn(nodes_[0]->address(), 3);
  SnapshotAt(2, 3);
  Heads before = HeadsOf(nodes_[2]->address());
  EXPECT_EQ(before.head, 3u);
  EXPECT_EQ(before.applied, 3u);
  EXPECT_EQ(before.seen, 3u);
  EXPECT_EQ(before.connected, "true");

  CutNode2();
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kNotServing, absl::Seconds(20)))
      << "irm.cluster.writes stayed SERVING on a node cut off from etcd";
  // The overall health and the reads go on from the copy.
  HealthWatch overall(nodes_[2]->address(), "");
  EXPECT_TRUE(overall.WaitFor(HealthWatch::kServing, absl::Seconds(10)));
  IrmResult refused = RunIrm(nodes_[2]->address(), {"append", "notes", "Noted"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("UNAVAILABLE")) << refused;
  AppendOn(nodes_[0]->address(), 4);  // the cluster goes on without node 2
  IrmResult read = RunIrm(nodes_[2]->address(), {"read", "notes", "--json"});
  ASSERT_EQ(read.exit_code, 0) << read;
  EXPECT_EQ(Lines(read.out).size(), 3u) << read;
  Heads during = HeadsOf(nodes_[2]->address());
  EXPECT_EQ(during.applied, 3u);
  EXPECT_GE(during.seen, 3u);
  EXPECT_EQ(during.connected, "false");

  HealNode2();
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kServing, absl::Seconds(30)))
      << "irm.cluster.writes did not come back after healing";
  const LogSnapshot reference = SnapshotAt(0, 7);
  ASSERT_EQ(reference.head, 7u) << "the refused append must not have been committed";
  const LogSnapshot healed = SnapshotAt(2, 7);
  ASSERT_EQ(healed.events.size(), reference.events.size());
  for (size_t k = 0; k < reference.events.size(); ++k) {
    EXPECT_EQ(healed.events[k].SerializeAsString(), reference.events[k].SerializeAsString())
        << "position " << k + 1;
  }
  AppendOn(nodes_[2]->address(), 1);  // and it writes again
  SnapshotAt(0, 8);
  SnapshotAt(1, 8);
  const std::string root = VerifiedRoot(0, 8);
  EXPECT_FALSE(root.empty());
  EXPECT_EQ(VerifiedRoot(1, 8), root);
  EXPECT_EQ(VerifiedRoot(2, 8), root);
  Heads after = HeadsOf(nodes_[2]->address());
  EXPECT_EQ(after.applied, 8u);
  EXPECT_EQ(after.seen, 8u);
  EXPECT_EQ(after.connected, "true");
}

// Collects what one Subscribe call delivers, on a thread of its own.
class Subscriber {
 public:
  Subscriber(const std::string& address, uint64_t from)
      : stub_(api::v1::LogService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {
    api::v1::SubscribeRequest request;
    request.set_start(api::v1::SUBSCRIBE_FROM_POSITION);
    request.set_from_position(from);
    thread_ = std::thread([this, request] {
      auto reader = stub_->Subscribe(&context_, request);
      api::v1::SubscribeResponse response;
      while (reader->Read(&response)) {
        absl::MutexLock lock(&mu_);
        for (const auto& event : response.events()) positions_.push_back(event.position());
        checkpoints_.push_back(response.checkpoint());
        if (response.caught_up()) caught_up_ = true;
      }
      grpc::Status status = reader->Finish();
      absl::MutexLock lock(&mu_);
      finished_ = true;
      status_ = status;
    });
  }
  ~Subscriber() {
    context_.TryCancel();
    thread_.join();
  }

  bool WaitForEvents(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return positions_.size() >= count || finished_;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout) && positions_.size() >= count;
  }
  bool WaitForCaughtUp(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return caught_up_ || finished_; };
    return mu_.AwaitWithTimeout(absl::Condition(&done), timeout) && caught_up_;
  }
  std::vector<uint64_t> positions() {
    absl::MutexLock lock(&mu_);
    return positions_;
  }
  std::vector<uint64_t> checkpoints() {
    absl::MutexLock lock(&mu_);
    return checkpoints_;
  }
  std::string finished_status() {
    absl::MutexLock lock(&mu_);
    return finished_ ? absl::StrCat(status_.error_code(), ": ", status_.error_message())
                     : "still open";
  }

 private:
  std::unique_ptr<api::v1::LogService::Stub> stub_;
  grpc::ClientContext context_;
  absl::Mutex mu_;
  std::vector<uint64_t> positions_ ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> checkpoints_ ABSL_GUARDED_BY(mu_);
  bool caught_up_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

TEST_F(E2eClusterPartitionTest, SubscriberResumesOnANodeBehindItsCheckpoint) {
  HealthWatch writes(nodes_[2]->address(), "irm.cluster.writes");
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kServing, absl::Seconds(20)));
  AppendOn(nodes_[0]->address(), 5);
  SnapshotAt(2, 5);
  CutNode2();
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kNotServing, absl::Seconds(20)));
  AppendOn(nodes_[0]->address(), 10);  // 6..15: node 2 does not get them

  // The subscriber reads everything on node 0 and keeps its checkpoint.
  uint64_t checkpoint = 0;
  {
    Subscriber on_a(nodes_[0]->address(), 1);
    ASSERT_TRUE(on_a.WaitForEvents(15, absl::Seconds(20))) << on_a.finished_status();
    ASSERT_TRUE(on_a.WaitForCaughtUp(absl::Seconds(20))) << on_a.finished_status();
    std::vector<uint64_t> positions = on_a.positions();
    ASSERT_EQ(positions.size(), 15u);
    checkpoint = on_a.checkpoints().back();
  }
  ASSERT_EQ(checkpoint, 15u);

  // It moves to node 2, whose copy ends at 5, and resumes from its checkpoint: node 2 waits.
  EXPECT_EQ(HeadsOf(nodes_[2]->address()).applied, 5u);
  Subscriber on_b(nodes_[2]->address(), checkpoint + 1);
  AppendOn(nodes_[0]->address(), 5);  // 16..20
  HealNode2();
  ASSERT_TRUE(on_b.WaitForEvents(5, absl::Seconds(30))) << on_b.finished_status();
  ASSERT_TRUE(on_b.WaitForCaughtUp(absl::Seconds(10))) << on_b.finished_status();
  EXPECT_EQ(on_b.positions(), (std::vector<uint64_t>{16, 17, 18, 19, 20}));
  for (uint64_t c : on_b.checkpoints()) {
    EXPECT_GE(c, checkpoint) << "a checkpoint below the one the subscriber resumed from";
  }
  AppendOn(nodes_[0]->address(), 1);  // live events keep coming, once each
  ASSERT_TRUE(on_b.WaitForEvents(6, absl::Seconds(20))) << on_b.finished_status();
  EXPECT_EQ(on_b.positions(), (std::vector<uint64_t>{16, 17, 18, 19, 20, 21}));

  // A start past the cluster's head is refused, on a node that reaches etcd.
  IrmResult beyond = RunIrm(nodes_[2]->address(), {"subscribe", "--from", "1000", "--count", "1"});
  EXPECT_NE(beyond.exit_code, 0);
  EXPECT_THAT(beyond.err, HasSubstr("OUT_OF_RANGE")) << beyond;
  EXPECT_THAT(beyond.err, HasSubstr("cluster's head 21")) << beyond;
}

}  // namespace
}  // namespace irm::tests
