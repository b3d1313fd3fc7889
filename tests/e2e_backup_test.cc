// Backup and restore end to end: `irm admin backup` while appenders keep writing to the real
// irmd, then `irmd --restore-from` into a new folder. The restored log must be a prefix of
// the original (dense positions, byte-identical events) covering at least the head when the
// backup began, its projections must equal a rebuild, and it must accept new appends.
// The source signs checkpoints (--signing-key): the restored server must pass `irm verify`
// with the public key, and with a checkpoint kept from the source before the backup
// (`--checkpoint`, docs/audit.md); a checkpoint kept after the backup, of more events than
// the backup holds, must fail there.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/crash_verify.h"
#include "tests/crash_workload.h"
#include "tests/merkle_check.h"
#include "tests/projection_check.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<LogSnapshot> ReadLog(const IrmdProcess& irmd) {
  std::unique_ptr<api::v1::LogService::Stub> stub =
      api::v1::LogService::NewStub(LogChannel(irmd.address()));
  return ReadWholeLog(*stub);
}

TEST(E2eBackupTest, OnlineBackupRestoresToAConsistentPrefixThatAcceptsAppends) {
  TempDir dir("irm-backup");
  const std::string backup_dir = dir.Sub("backups");
  absl::StatusOr<SigningKeyFiles> keys = MakeSigningKey(dir.Sub("keys"));
  ASSERT_TRUE(keys.ok()) << keys.status();
  const std::vector<std::string> signing = {"--signing-key", keys->private_key};
  absl::StatusOr<std::unique_ptr<IrmdProcess>> original =
      IrmdProcess::Start(dir.Sub("data"), signing);
  ASSERT_TRUE(original.ok()) << original.status();

  WorkloadOptions options;
  options.seed = 7;
  absl::StatusOr<std::unique_ptr<CrashWorkload>> load =
      CrashWorkload::Start(LogChannel((*original)->address()), options);
  ASSERT_TRUE(load.ok()) << load.status();
  ASSERT_TRUE((*load)->WaitForAcknowledged(50, absl::Seconds(30)))
      << "no history before the first backup";
  const std::string kept_before = dir.Sub("kept-before-backup.jsonl");
  absl::StatusOr<uint64_t> kept_size = KeepCheckpoint((*original)->address(), kept_before);
  ASSERT_TRUE(kept_size.ok()) << kept_size.status();
  EXPECT_GT(*kept_size, 0u);

  IrmResult backup = RunIrm((*original)->address(), {"--json", "admin", "backup", backup_dir});
  ASSERT_EQ(backup.exit_code, 0) << backup;
  nlohmann::json report = nlohmann::json::parse(backup.out);
  const uint64_t head_at_start = report.value("head_at_start", uint64_t{0});
  EXPECT_EQ(report.value("backup_id", 0), 1);
  EXPECT_GT(head_at_start, 0u) << "the appenders wrote nothing before the backup";

  // Appends after the backup: not in it.
  ASSERT_TRUE((*load)->WaitForAcknowledged((*load)->Acknowledged() + 30, absl::Seconds(30)))
      << "no appends after the backup";
  std::vector<std::string> unexpected;
  std::vector<SentAppend> sent = (*load)->Finish(&unexpected);
  EXPECT_TRUE(unexpected.empty()) << ::testing::PrintToString(unexpected);

  absl::StatusOr<LogSnapshot> full = ReadLog(**original);
  ASSERT_TRUE(full.ok()) << full.status();
  const std::string kept_after = dir.Sub("kept-after-backup.jsonl");
  absl::StatusOr<uint64_t> after_size = KeepCheckpoint((*original)->address(), kept_after);
  ASSERT_TRUE(after_size.ok()) << after_size.status();
  EXPECT_EQ(*after_size, full->head);
  ASSERT_TRUE((*original)->Stop().ok());

  // A restore never overwrites: a non-empty data folder is refused.
  absl::StatusOr<std::unique_ptr<IrmdProcess>> refused =
      IrmdProcess::Start(dir.Sub("data"), {"--restore-from", backup_dir});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("is not empty"));

  absl::StatusOr<std::unique_ptr<IrmdProcess>> restored =
      IrmdProcess::Start(dir.Sub("restored"), {"--restore-from", backup_dir, "--signing-key",
                                                keys->private_key});
  ASSERT_TRUE(restored.ok()) << restored.status();
  absl::StatusOr<LogSnapshot> copy = ReadLog(**restored);
  ASSERT_TRUE(copy.ok()) << copy.status();

  // The restored server verifies: its tree is recomputed from the restored events and
  // checked against a fresh checkpoint signed with the key and the checkpoints the backup
  // carried over, and the checkpoint kept from the source before the backup.
  IrmResult verified = RunIrm((*restored)->address(), {"verify", "--public-key",
                                                       keys->public_key, "--checkpoint",
                                                       kept_before});
  ASSERT_EQ(verified.exit_code, 0) << verified;
  EXPECT_THAT(verified.out, HasSubstr(absl::StrCat("OK: ", copy->head, " events, root ")));
  EXPECT_THAT(verified.out, HasSubstr("1 kept checkpoints: signatures OK"));
  absl::Status merkle = VerifyMerkle((*restored)->address(), keys->public_key, copy->head, "");
  EXPECT_TRUE(merkle.ok()) << merkle;
  // A checkpoint of the source after the backup promises events the backup does not hold.
  IrmResult beyond = RunIrm((*restored)->address(), {"verify", "--public-key", keys->public_key,
                                                     "--checkpoint", kept_after});
  EXPECT_EQ(beyond.exit_code, 1) << beyond;
  EXPECT_THAT(beyond.err, HasSubstr(absl::StrCat("your kept checkpoint of size ", *after_size,
                                                 " covers more events than the log now holds (",
                                                 copy->head, ")")));

  ASSERT_GE(copy->head, head_at_start) << "the backup lost events acknowledged before it began";
  ASSERT_LE(copy->head, full->head);
  ASSERT_LT(copy->head, full->head) << "no append landed after the backup; the test proves less";
  ASSERT_EQ(copy->events.size(), copy->head);
  for (size_t i = 0; i < copy->events.size(); ++i) {
    ASSERT_EQ(copy->events[i].position(), i + 1) << "positions of the restored log are not dense";
    ASSERT_EQ(copy->events[i].SerializeAsString(), full->events[i].SerializeAsString())
        << "event at position " << i + 1 << " differs from the original";
  }
  std::vector<std::string> checked;
  absl::Status projections =
      CheckProjectionsEqualRebuild(LogChannel((*restored)->address()), absl::Seconds(30), &checked);
  EXPECT_TRUE(projections.ok()) << projections;
  EXPECT_FALSE(checked.empty());

  IrmResult appended = RunIrm((*restored)->address(),
                              {"--json", "append", "after-restore", "Restored", "--data", "{}"});
  ASSERT_EQ(appended.exit_code, 0) << appended;
  EXPECT_EQ(nlohmann::json::parse(appended.out).value("position", uint64_t{0}), copy->head + 1);

  // A second backup into the same folder is numbered 2; the restore takes the newest.
  IrmResult second = RunIrm((*restored)->address(), {"--json", "admin", "backup", backup_dir});
  ASSERT_EQ(second.exit_code, 0) << second;
  EXPECT_EQ(nlohmann::json::parse(second.out).value("backup_id", 0), 2);
  ASSERT_TRUE((*restored)->Stop().ok());
  absl::StatusOr<std::unique_ptr<IrmdProcess>> again =
      IrmdProcess::Start(dir.Sub("restored-again"), {"--restore-from", backup_dir});
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<LogSnapshot> newest = ReadLog(**again);
  ASSERT_TRUE(newest.ok()) << newest.status();
  EXPECT_EQ(newest->head, copy->head + 1);
  EXPECT_TRUE((*again)->Stop().ok());
}

TEST(E2eBackupTest, BadBackupFoldersAreRefusedWithClearMessages) {
  TempDir dir("irm-backup-bad");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  IrmResult relative = RunIrm((*irmd)->address(), {"admin", "backup", "relative/dir"});
  EXPECT_EQ(relative.exit_code, 1) << relative;
  EXPECT_THAT(relative.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(relative.err, HasSubstr("relative"));
  IrmResult missing = RunIrm((*irmd)->address(), {"admin", "backup"});
  EXPECT_EQ(missing.exit_code, 2) << missing;
  IrmResult help = RunIrm((*irmd)->address(), {"admin", "backup", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help;
  EXPECT_THAT(help.out, HasSubstr("ON THE MACHINE WHERE irmd RUNS"));
  EXPECT_TRUE((*irmd)->Stop().ok());

  // A damaged backup is refused, not restored: the restore verifies checksums first.
  absl::StatusOr<std::unique_ptr<IrmdProcess>> source = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(source.ok()) << source.status();
  IrmResult appended = RunIrm((*source)->address(), {"append", "b-1", "T", "--data", "{}"});
  ASSERT_EQ(appended.exit_code, 0) << appended;
  IrmResult made = RunIrm((*source)->address(), {"admin", "backup", dir.Sub("backups")});
  ASSERT_EQ(made.exit_code, 0) << made;
  EXPECT_THAT(made.out, HasSubstr("backup 1 written to"));
  EXPECT_TRUE((*source)->Stop().ok());
  size_t damaged = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.Sub("backups"))) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.find(".log") != std::string::npos) {
      std::filesystem::resize_file(entry.path(), entry.file_size() / 2);
      ++damaged;
    }
  }
  ASSERT_GT(damaged, 0u) << "the backup holds no write-ahead log file to damage";
  absl::StatusOr<std::unique_ptr<IrmdProcess>> corrupt =
      IrmdProcess::Start(dir.Sub("from-damaged"), {"--restore-from", dir.Sub("backups")});
  ASSERT_FALSE(corrupt.ok());
  EXPECT_THAT(std::string(corrupt.status().message()), HasSubstr("DATA_LOSS"));
  EXPECT_THAT(std::string(corrupt.status().message()), HasSubstr("is damaged"));

  absl::StatusOr<std::unique_ptr<IrmdProcess>> nothing =
      IrmdProcess::Start(dir.Sub("new"), {"--restore-from", dir.Sub("no-such-backups")});
  ASSERT_FALSE(nothing.ok());
  EXPECT_THAT(std::string(nothing.status().message()), HasSubstr("does not exist"));
}

}  // namespace
}  // namespace irm::tests
