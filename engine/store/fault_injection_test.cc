// The log on real RocksDB folders under injected disk faults (fault_file_system.h): a write,
// an fsync, a rename or a read fails while appending (alone and in a commit group), storing
// a checkpoint, committing projections, taking a backup and opening the log. Each time: a
// clear error naming what failed; after the fault clears, writing goes on without a restart
// (or a restart recovers); and reopening the folder without faults reads back every
// acknowledged event, byte for byte, at its position, with no gap.
#include <filesystem>
#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/mutex.h"
#include "engine/audit/checkpointer.h"
#include "engine/audit/ed25519.h"
#include "engine/common/error_details.h"
#include "engine/common/uuid.h"
#include "engine/projection/projection_runner.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/store/backup.h"
#include "engine/store/fault_file_system.h"
#include "engine/store/log_database.h"
#include "engine/store/open_log_test_fixture.h"
#include "engine/subscription/live_feed.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::store {
namespace {

using log::AppendRequest;
using log::ExpectedRevision;
using log::ProposedEvent;
using ::testing::AnyOf;
using ::testing::HasSubstr;

// A throwaway Ed25519 key for these tests only.
constexpr char kTestKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJOlJt5bTjYwcwRRTDvcmqYsn0lf6+GiBR77Cb98a5SC\n"
    "-----END PRIVATE KEY-----\n";

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

  // Closes the log, moves every family's events into tables and reopens it: its reads then
  // go to the table files (the opening reads only the log's tail).
  void FlushToTables() {
    log_.reset();
    {
      auto database = LogDatabase::Open(dir_);
      ASSERT_TRUE(database.ok()) << database.status();
      for (auto* family : {(*database)->events(), (*database)->streams(), (*database)->ids(),
                           (*database)->merkle()}) {
        ASSERT_TRUE((*database)->db()->Flush(rocksdb::FlushOptions(), family).ok());
      }
    }
    Reopen();
  }

  void TearDown() override {
    runner_.reset();
    feed_.reset();
    OpenLogTest::TearDown();
  }

  std::shared_ptr<FaultFileSystem> fs_ = std::make_shared<FaultFileSystem>();
  std::unique_ptr<subscription::LiveFeed> feed_;  // for the projection runner's tests
  std::unique_ptr<projection::ProjectionRunner> runner_;
  int counter_ = 0;
  common::Mutex mu_;
  std::map<uint64_t, std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::string> ids_ ABSL_GUARDED_BY(mu_);
};

// What every failed write of an append group answers.
void ExpectOutcomeUnknown(const absl::Status& status, FaultKind kind) {
  ASSERT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(status.message(),
              HasSubstr(absl::StrCat("injected ", FaultKindName(kind), " fault on")));
  EXPECT_THAT(status.message(), HasSubstr("retry with the same event ids"));
  ASSERT_TRUE(common::GetErrorReason(status).has_value()) << status;
  EXPECT_EQ(common::GetErrorReason(status)->reason, "OUTCOME_UNKNOWN");
  EXPECT_TRUE(common::GetRetryDelay(status).has_value());
}

// A fault on the write-ahead log: (kind, retryable). A local disk's EIO is not retryable:
// RocksDB 7.8 then stops taking writes until the log is reopened.
using WalFault = std::tuple<FaultKind, bool>;
std::string WalFaultName(const ::testing::TestParamInfo<WalFault>& info) {
  return absl::StrCat(FaultKindName(std::get<0>(info.param)),
                      std::get<1>(info.param) ? "_retryable" : "_eio");
}

class WalFaultTest : public FaultLogTest, public ::testing::WithParamInterface<WalFault> {
 protected:
  FaultKind kind() const { return std::get<0>(GetParam()); }
  bool retryable() const { return std::get<1>(GetParam()); }

  // After the fault: a retryable one lets writes go on at once; after EIO, writes answer
  // Unavailable saying to restart, and a restart recovers.
  void ExpectWritesResume() {
    if (!retryable()) {
      absl::StatusOr<log::AppendResult> refused = AppendNew("review-Z");
      ASSERT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
      EXPECT_THAT(refused.status().message(), HasSubstr("restart irmd"));
      Reopen();
    }
  }
};

TEST_P(WalFaultTest, SingleAppendAnswersOutcomeUnknownAndItsRetryIsWrittenOnce) {
  ASSERT_TRUE(AppendNew("review-A").ok());
  ASSERT_TRUE(AppendNew("review-A").ok());
  const uint64_t head = log_->HeadPosition();
  std::vector<uint64_t> heard;
  log_->SetCommitListener([&](uint64_t, std::vector<log::CommittedEvent> events) {
    for (const auto& e : events) heard.push_back(e.record->position());
  });

  fs_->Arm(kind(), "*.log", 1, retryable());
  const std::string id = common::Uuid::Random().Bytes();
  absl::StatusOr<log::AppendResult> failed = AppendWithId("review-A", id, "{\"x\":1}");
  ExpectOutcomeUnknown(failed.status(), kind());
  EXPECT_THAT(failed.status().message(), HasSubstr(".log"));
  EXPECT_EQ(fs_->injected(kind()), 1);
  EXPECT_EQ(log_->HeadPosition(), head);

  ASSERT_NO_FATAL_FAILURE(ExpectWritesResume());
  // The retry with the same id: at the next position, once. After an fsync failure and a
  // restart the group's WAL record was replayed: the retry finds it (already_written).
  absl::StatusOr<log::AppendResult> retried = AppendWithId("review-A", id, "{\"x\":1}");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->first_position, head + 1);
  // Only an fsync failure left the record in the write-ahead log, and only a restart
  // replays it (Resume after a retryable error retires that log unread).
  EXPECT_EQ(retried->already_written, kind() == FaultKind::kSync && !retryable());
  ASSERT_TRUE(AppendNew("review-B").ok());
  EXPECT_EQ(log_->HeadPosition(), head + 2);
  if (retryable()) EXPECT_EQ(heard, (std::vector<uint64_t>{head + 1, head + 2}));
  ExpectAcknowledgedAfterCleanReopen();
}

TEST_P(WalFaultTest, GroupCommitFailsWholeAndRetriesLandEachEventOnce) {
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 25;
  ASSERT_TRUE(AppendNew("review-A").ok());
  struct Attempt {
    std::string stream, id, data;
    absl::Status status;
  };
  std::vector<std::vector<Attempt>> attempts(kWriters);
  fs_->Arm(kind(), "*.log", retryable() ? 1 : FaultFileSystem::kUntilDisarmed, retryable());
  {
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        for (int i = 0; i < kPerWriter; ++i) {
          Attempt a{absl::StrCat("review-W", w), common::Uuid::Random().Bytes(),
                    absl::StrCat("{\"w\":", w, ",\"i\":", i, "}"), absl::OkStatus()};
          a.status = AppendWithId(a.stream, a.id, a.data).status();
          attempts[w].push_back(std::move(a));
        }
      });
    }
    for (std::thread& t : writers) t.join();
  }
  fs_->DisarmAll();
  int failed = 0;
  for (const auto& per_writer : attempts) {
    for (const Attempt& a : per_writer) {
      if (a.status.ok()) continue;
      ++failed;
      // The group the fault hit: outcome unknown; later groups after EIO: nothing written,
      // restart irmd.
      ASSERT_EQ(a.status.code(), absl::StatusCode::kUnavailable) << a.status;
      EXPECT_THAT(a.status.message(), AnyOf(HasSubstr("retry with the same event ids"),
                                            HasSubstr("restart irmd")));
    }
  }
  EXPECT_GE(failed, 1);
  if (!retryable()) Reopen();
  // Every failed append retried with its ids: written (or found written) exactly once.
  for (const auto& per_writer : attempts) {
    for (const Attempt& a : per_writer) {
      if (a.status.ok()) continue;
      absl::StatusOr<log::AppendResult> retried = AppendWithId(a.stream, a.id, a.data);
      ASSERT_TRUE(retried.ok()) << retried.status();
    }
  }
  auto all = log_->ReadAll({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u + kWriters * kPerWriter);
  std::set<std::string> ids;
  for (const log::EventRecord& e : *all) EXPECT_TRUE(ids.insert(e.id()).second) << e.position();
  ExpectAcknowledgedAfterCleanReopen();
}

// A checkpoint is stored with an fsynced write: its failure names the fault, touches no
// event, and appends go on (at once after a retryable error; after EIO, after a restart).
TEST_P(WalFaultTest, CheckpointWriteFailsClearlyAndAppendsGoOn) {
  auto key = audit::SigningKey::FromPem(kTestKeyPem);
  ASSERT_TRUE(key.ok()) << key.status();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(AppendNew("review-A").ok());
  {
    audit::Checkpointer checkpointer(log_->audit_store(), key->get(), common::SystemClock(),
                                     absl::Hours(1));
    ASSERT_TRUE(checkpointer.SignNow().ok());
    ASSERT_TRUE(AppendNew("review-A").ok());
    fs_->Arm(kind(), "*.log", 1, retryable());
    absl::StatusOr<audit::Checkpoint> failed = checkpointer.SignNow();
    ASSERT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
    EXPECT_THAT(failed.status().message(),
                HasSubstr(absl::StrCat("injected ", FaultKindName(kind()), " fault on")));
    EXPECT_THAT(failed.status().message(), AnyOf(HasSubstr("storing a checkpoint"),
                                                 HasSubstr("signing key's public half")));
  }
  // The next append is not refused for the checkpoint's failure (it was, before checkpoint
  // writes went through LogDatabase::Write).
  ASSERT_NO_FATAL_FAILURE(ExpectWritesResume());
  ASSERT_TRUE(AppendNew("review-A").ok());
  audit::Checkpointer checkpointer(log_->audit_store(), key->get(), common::SystemClock(),
                                   absl::Hours(1));
  absl::StatusOr<audit::Checkpoint> signed_now = checkpointer.SignNow();
  ASSERT_TRUE(signed_now.ok()) << signed_now.status();
  EXPECT_EQ(signed_now->size, log_->HeadPosition());
  ExpectAcknowledgedAfterCleanReopen();
}

// Projection commits are not fsynced (a lost tail is recomputed from the log), so only a
// failed write reaches them.
class ProjectionFaultTest : public WalFaultTest {};

TEST_P(ProjectionFaultTest, ProjectionCommitFailsClearlyAndKeepsItsLastCheckpoint) {
  projection::ProjectionStore* store = log_->projection_store();
  ASSERT_TRUE(AppendNew("review-A").ok());
  ASSERT_TRUE(store->Commit("stats", {{"a", "1"}}, 1).ok());
  ASSERT_TRUE(AppendNew("review-A").ok());
  fs_->Arm(kind(), "*.log", 1, retryable());
  absl::Status failed = store->Commit("stats", {{"a", "2"}}, 2);
  ASSERT_EQ(failed.code(), absl::StatusCode::kUnavailable) << failed;
  EXPECT_THAT(failed.message(), HasSubstr("committing projection stats"));
  EXPECT_THAT(failed.message(), HasSubstr("injected write fault on"));
  ASSERT_NO_FATAL_FAILURE(ExpectWritesResume());
  store = log_->projection_store();
  EXPECT_EQ(*store->Checkpoint("stats"), 1u);
  EXPECT_EQ(**store->Get("stats", "a"), "1");
  ASSERT_TRUE(store->Commit("stats", {{"a", "2"}}, 2).ok());
  EXPECT_EQ(*store->Checkpoint("stats"), 2u);
  ASSERT_TRUE(AppendNew("review-A").ok());
  ExpectAcknowledgedAfterCleanReopen();
}

// The projection runner over the log: a commit that fails shows the projection waiting for
// the disk, with the fault in its error; once writes resume (at once, or after a restart)
// it catches up with the head.
TEST_P(ProjectionFaultTest, ProjectionRunnerWaitsForTheDiskThenCatchesUp) {
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(AppendNew(absl::StrCat("review-", i % 4)).ok());
  const uint64_t head = log_->HeadPosition();
  auto start_runner = [this] {
    feed_ = std::make_unique<subscription::LiveFeed>(log_.get());
    std::vector<std::unique_ptr<projection::Projection>> projections;
    projections.push_back(std::make_unique<projection::StreamStatsProjection>());
    runner_ = std::make_unique<projection::ProjectionRunner>(
        feed_.get(), log_->projection_store(), std::move(projections));
    runner_->Start();
  };
  auto stop_runner = [this] {
    runner_.reset();
    feed_.reset();
  };
  fs_->Arm(kind(), "*.log", FaultFileSystem::kUntilDisarmed, retryable());
  start_runner();
  absl::Status waited = runner_->WaitUntilApplied(head, absl::Seconds(30));
  ASSERT_EQ(waited.code(), absl::StatusCode::kUnavailable) << waited;
  EXPECT_THAT(waited.message(), HasSubstr("injected write fault on"));
  EXPECT_EQ(runner_->List().front().state, projection::ProjectionState::kWaitingForDisk);
  fs_->DisarmAll();
  if (!retryable()) {
    stop_runner();
    Reopen();
    start_runner();
  }
  // The runner retries by itself every 200 ms: wait for the projection to run again.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (runner_->List().front().state != projection::ProjectionState::kRunning &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(runner_->WaitUntilApplied(head, absl::Seconds(30)).ok());
  ASSERT_TRUE(AppendNew("review-0").ok());
  ASSERT_TRUE(runner_->WaitUntilApplied(head + 1, absl::Seconds(30)).ok());
  stop_runner();
  ExpectAcknowledgedAfterCleanReopen();
}

INSTANTIATE_TEST_SUITE_P(Wal, WalFaultTest,
                         ::testing::Combine(::testing::Values(FaultKind::kWrite, FaultKind::kSync),
                                            ::testing::Bool()),
                         WalFaultName);
INSTANTIATE_TEST_SUITE_P(Wal, ProjectionFaultTest,
                         ::testing::Combine(::testing::Values(FaultKind::kWrite),
                                            ::testing::Bool()),
                         WalFaultName);

// Appends neither rename nor read the write-ahead log: an armed rename fault does not touch
// them.
TEST_F(FaultLogTest, RenameFaultDoesNotTouchAppends) {
  fs_->Arm(FaultKind::kRename, "", FaultFileSystem::kUntilDisarmed);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(AppendNew("review-A").ok());
  EXPECT_EQ(fs_->injected(FaultKind::kRename), 0);
  fs_->DisarmAll();
  ExpectAcknowledgedAfterCleanReopen();
}

// Opening the log: (kind, pattern) of the first operation to fail.
using OpenFault = std::tuple<FaultKind, std::string>;

class OpenFaultTest : public FaultLogTest, public ::testing::WithParamInterface<OpenFault> {};

TEST_P(OpenFaultTest, OpenFailsNamingTheFaultAndOpensWholeOnceItClears) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(AppendNew(absl::StrCat("review-", i % 3)).ok());
  FlushToTables();
  ASSERT_TRUE(AppendNew("review-wal").ok());  // and one only in the write-ahead log
  log_.reset();
  const auto& [kind, pattern] = GetParam();
  fs_->Arm(kind, pattern, FaultFileSystem::kUntilDisarmed);
  RocksDbEventLogOptions options;
  options.file_system = fs_;
  absl::StatusOr<std::unique_ptr<RocksDbEventLog>> failed = RocksDbEventLog::Open(dir_, options);
  ASSERT_FALSE(failed.ok());
  EXPECT_GE(fs_->injected(kind), 1);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(failed.status().message(),
              HasSubstr(absl::StrCat("injected ", FaultKindName(kind), " fault on")));
  EXPECT_THAT(failed.status().message(), HasSubstr(dir_));
  fs_->DisarmAll();
  Reopen();
  ASSERT_TRUE(AppendNew("review-after").ok());
  ExpectAcknowledgedAfterCleanReopen();
}

INSTANTIATE_TEST_SUITE_P(
    Open, OpenFaultTest,
    ::testing::Values(OpenFault{FaultKind::kWrite, "*MANIFEST*"},
                      OpenFault{FaultKind::kSync, "*MANIFEST*"},
                      OpenFault{FaultKind::kRename, "*CURRENT*"},
                      OpenFault{FaultKind::kRead, "*MANIFEST*"},
                      OpenFault{FaultKind::kRead, "*.log"},
                      OpenFault{FaultKind::kRead, "*.sst"}),
    [](const auto& info) {
      std::string pattern = std::get<1>(info.param);
      pattern.erase(std::remove(pattern.begin(), pattern.end(), '*'), pattern.end());
      pattern.erase(std::remove(pattern.begin(), pattern.end(), '.'), pattern.end());
      return absl::StrCat(FaultKindName(std::get<0>(info.param)), "_", pattern);
    });

// A backup under each fault: a clear error naming it, no partial backup kept, appends
// unaffected; once it clears, the next backup restores to a log holding every event
// acknowledged before it began.
class BackupFaultTest : public FaultLogTest, public ::testing::WithParamInterface<FaultKind> {
 protected:
  void TearDown() override {
    FaultLogTest::TearDown();
    std::filesystem::remove_all(backup_dir());
    std::filesystem::remove_all(restore_dir());
  }
  std::string backup_dir() const { return dir_ + "_backup"; }
  std::string restore_dir() const { return dir_ + "_restored"; }
};

TEST_P(BackupFaultTest, BackupFailsNamingTheFaultAndAppendsGoOn) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(AppendNew("review-A").ok());
  FlushToTables();  // some tables to copy
  ASSERT_TRUE(AppendNew("review-A").ok());
  // Reads fail on the live folder (the backup's sources); the others on the backup folder.
  const std::string pattern =
      GetParam() == FaultKind::kRead ? dir_ + "/*" : backup_dir() + "*";
  fs_->Arm(GetParam(), pattern, FaultFileSystem::kUntilDisarmed);
  absl::StatusOr<BackupReport> failed = log_->Backup(backup_dir());
  ASSERT_FALSE(failed.ok());
  EXPECT_GE(fs_->injected(GetParam()), 1);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_THAT(failed.status().message(),
              HasSubstr(absl::StrCat("injected ", FaultKindName(GetParam()), " fault on")));
  if (GetParam() != FaultKind::kRead) {
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(AppendNew("review-B").ok());
  }
  fs_->DisarmAll();
  ASSERT_TRUE(AppendNew("review-B").ok());
  const uint64_t head = log_->HeadPosition();
  absl::StatusOr<BackupReport> backup = log_->Backup(backup_dir());
  ASSERT_TRUE(backup.ok()) << backup.status();
  EXPECT_EQ(backup->backups_in_folder, 1u);
  absl::StatusOr<BackupReport> restored = RestoreLatestBackup(backup_dir(), restore_dir());
  ASSERT_TRUE(restored.ok()) << restored.status();
  auto copy = RocksDbEventLog::Open(restore_dir(), RocksDbEventLogOptions());
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_GE((*copy)->HeadPosition(), head);
  copy->reset();
  ExpectAcknowledgedAfterCleanReopen();
}

INSTANTIATE_TEST_SUITE_P(Backup, BackupFaultTest,
                         ::testing::Values(FaultKind::kWrite, FaultKind::kSync,
                                           FaultKind::kRename, FaultKind::kRead),
                         [](const auto& info) { return std::string(FaultKindName(info.param)); });

}  // namespace
}  // namespace irm::store
