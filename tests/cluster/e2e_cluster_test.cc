// Cluster mode end to end (docs/cluster.md): 3 real etcd members and 3 real irmd nodes
// (`--cluster-etcd`, `--node-name`) on loopback, driven by the real `irm` and by concurrent
// gRPC appenders (crash_workload.h).
//  - appends on every node share one log: identical positions and bytes on every node, the
//    same `irm verify` root everywhere, and a node reads its own writes;
//  - kill -9 of a node under 8 concurrent writers: appends resume on another node within
//    5 s, every acknowledged append is present exactly once and positions are gap-free on
//    every node (crash_verify.h); the killed node restarts and catches up.
//  - a new node started from a backup of another node's copy (`irmd --restore-from`) plus
//    `--cluster-etcd` takes the rest from etcd and converges: the same log, the same
//    `irm verify` root and the same projection digests (`irm admin replay-check`); it serves
//    the events appended after the backup, and appends itself.
// (Node 2 reaches etcd through TCP proxies: cluster_fixture.h.)
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "engine/cluster/etcd_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/cluster/cluster_fixture.h"
#include "tests/crash_verify.h"
#include "tests/crash_workload.h"
#include "tests/merkle_check.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/irm_json.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;

using E2eClusterTest = ClusterFixture;

TEST_F(E2eClusterTest, AppendsOnEveryNodeShareOneLog) {
  int appended = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 3; ++i) {
      const std::string stream = absl::StrCat("notes-", i);
      IrmResult append = RunIrm(nodes_[i]->address(),
                                {"append", stream, "Noted", "--data",
                                 absl::StrCat("{\"round\":", round, "}"), "--json"});
      ASSERT_EQ(append.exit_code, 0) << append;
      ++appended;
      // Read-your-writes: the node that acknowledged has it, at once.
      IrmResult read = RunIrm(nodes_[i]->address(), {"read", stream, "--json"});
      ASSERT_EQ(read.exit_code, 0) << read;
      EXPECT_EQ(Lines(read.out).size(), static_cast<size_t>(round + 1)) << read;
    }
  }
  // A stream's expected revision holds across nodes: node 2 cannot create notes-0 again.
  IrmResult conflict = RunIrm(nodes_[2]->address(),
                              {"append", "notes-0", "Noted", "--expect", "no_stream"});
  EXPECT_NE(conflict.exit_code, 0);
  EXPECT_THAT(conflict.err, HasSubstr("ABORTED"));

  const uint64_t head = appended;
  const LogSnapshot first = SnapshotAt(0, head);
  ASSERT_EQ(first.head, head);
  const std::string root = VerifiedRoot(0, head);
  EXPECT_FALSE(root.empty());
  for (int i = 1; i < 3; ++i) {
    const LogSnapshot other = SnapshotAt(i, head);
    ASSERT_EQ(other.events.size(), first.events.size());
    for (size_t k = 0; k < first.events.size(); ++k) {
      EXPECT_EQ(other.events[k].SerializeAsString(), first.events[k].SerializeAsString())
          << "node " << i << " differs at position " << k + 1;
    }
    EXPECT_EQ(VerifiedRoot(i, head), root) << "node " << i;
  }
}

TEST_F(E2eClusterTest, KillNineOfANodeUnderEightWriters) {
  LogVerifier verifier;
  WorkloadOptions options;
  options.threads = 8;
  options.seed = EnvNumber("IRM_CRASH_SEED", 19);
  absl::StatusOr<std::unique_ptr<CrashWorkload>> before =
      CrashWorkload::Start(LogChannel(nodes_[0]->address()), options);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_TRUE((*before)->WaitForAcknowledged(200, absl::Seconds(30)));
  (*before)->MarkKill();
  ASSERT_TRUE(nodes_[0]->Kill9().ok());
  const absl::Time killed = absl::Now();
  std::vector<std::string> unexpected;
  verifier.AddSent((*before)->Finish(&unexpected));
  EXPECT_TRUE(unexpected.empty()) << absl::StrJoin(unexpected, "\n");

  // The writers move to node 1: appends resume within 5 s (nothing waits for node 0). They
  // start from the streams' revisions, so node 1 first gets everything etcd committed (its
  // copy may lag by the last groups node 0 committed).
  SnapshotAt(1, EtcdHead());
  options.round = 1;
  absl::StatusOr<std::unique_ptr<CrashWorkload>> after =
      CrashWorkload::Start(LogChannel(nodes_[1]->address()), options);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_TRUE((*after)->WaitForAcknowledged(1, absl::Seconds(5)));
  EXPECT_LT(absl::Now() - killed, absl::Seconds(5));
  ASSERT_TRUE((*after)->WaitForAcknowledged(200, absl::Seconds(30)));
  verifier.AddSent((*after)->Finish(&unexpected));
  EXPECT_TRUE(unexpected.empty()) << absl::StrJoin(unexpected, "\n");

  // Every acknowledged append exactly once, positions gap-free, on every node; the killed
  // node restarts on its folder and catches up.
  std::unique_ptr<api::v1::LogService::Stub> stub =
      api::v1::LogService::NewStub(LogChannel(nodes_[1]->address()));
  absl::StatusOr<LogSnapshot> reference = ReadWholeLog(*stub);
  ASSERT_TRUE(reference.ok()) << reference.status();
  std::vector<std::string> problems = verifier.Verify(*reference);
  ASSERT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
  StartNode(0);
  for (int i : {0, 2}) {
    const LogSnapshot copy = SnapshotAt(i, reference->head);
    ASSERT_EQ(copy.events.size(), reference->events.size()) << "node " << i;
    problems = verifier.Verify(copy);
    EXPECT_TRUE(problems.empty()) << "node " << i << ":\n" << absl::StrJoin(problems, "\n");
  }
  EXPECT_EQ(VerifiedRoot(0, reference->head), VerifiedRoot(1, reference->head));
}

TEST_F(E2eClusterTest, NewNodeFromABackupTakesTheRestFromEtcd) {
  for (int k = 0; k < 12; ++k) {
    IrmResult append = RunIrm(nodes_[k % 3]->address(),
                              {"append", absl::StrCat("before-", k % 4), "Noted", "--data",
                               absl::StrCat("{\"k\":", k, "}")});
    ASSERT_EQ(append.exit_code, 0) << append;
  }
  SnapshotAt(1, 12);
  const std::string backups = dir_.Sub("backups");
  IrmResult backup = RunIrm(nodes_[1]->address(), {"--json", "admin", "backup", backups});
  ASSERT_EQ(backup.exit_code, 0) << backup;
  const nlohmann::json report = nlohmann::json::parse(backup.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << backup;
  EXPECT_EQ(report.value("head_at_start", 0ull), 12u) << backup.out;

  // The cluster goes on after the backup: the new node must take these from etcd.
  for (int k = 0; k < 9; ++k) {
    IrmResult append = RunIrm(nodes_[(k + 1) % 3]->address(),
                              {"append", "after", "Noted", "--data",
                               absl::StrCat("{\"k\":", k, "}")});
    ASSERT_EQ(append.exit_code, 0) << append;
  }
  const uint64_t head = 21;
  ASSERT_EQ(EtcdHead(), head);

  // Node 3: a fresh folder restored from node 1's backup, joined to the cluster.
  ASSERT_NO_FATAL_FAILURE(StartNodeOn(3, dir_.Sub("node3"), {"--restore-from", backups}));
  EXPECT_THAT(nodes_[3]->stderr_text(), HasSubstr("restored backup"));
  const LogSnapshot reference = SnapshotAt(0, head);
  const LogSnapshot joined = SnapshotAt(3, head);
  ASSERT_EQ(joined.head, head);
  ASSERT_EQ(joined.events.size(), reference.events.size());
  for (size_t k = 0; k < reference.events.size(); ++k) {
    EXPECT_EQ(joined.events[k].SerializeAsString(), reference.events[k].SerializeAsString())
        << "node 3 differs at position " << k + 1;
  }
  const std::string root = VerifiedRoot(0, head);
  EXPECT_FALSE(root.empty());
  EXPECT_EQ(VerifiedRoot(3, head), root);
  EXPECT_EQ(ProjectionDigests(3), ProjectionDigests(0));

  // It serves the later events, and its own appends reach the others.
  IrmResult later = RunIrm(nodes_[3]->address(), {"read", "after", "--json"});
  ASSERT_EQ(later.exit_code, 0) << later;
  EXPECT_EQ(Lines(later.out).size(), 9u) << later;
  IrmResult own = RunIrm(nodes_[3]->address(), {"append", "after", "Noted"});
  ASSERT_EQ(own.exit_code, 0) << own;
  IrmResult seen = RunIrm(nodes_[0]->address(), {"read", "after", "--json"});
  ASSERT_EQ(seen.exit_code, 0) << seen;
  EXPECT_EQ(Lines(seen.out).size(), 10u) << seen;
  SnapshotAt(1, head + 1);
  SnapshotAt(3, head + 1);
  EXPECT_EQ(ProjectionDigests(3), ProjectionDigests(1));
}

}  // namespace
}  // namespace irm::tests
