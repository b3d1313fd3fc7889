// In-process tests of `irm checkpoint` and `irm verify` that need no server: help, usage
// errors, kept-checkpoint files. The commands against a real irmd are in
// tests/e2e_audit_test.cc.
#include "cli/audit/audit_commands.h"

#include <fstream>

#include "cli/audit/kept_checkpoints.h"
#include "cli/test_support.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// `irm ARGS...` with only the audit commands registered.
RunResult RunIrm(std::vector<std::string> args) {
  CommandRegistry registry;
  RegisterAuditCommands(registry);
  // Port 1 on loopback: nothing listens, so a command that reaches the network fails.
  args.insert(args.begin(), {"--server", "127.0.0.1:1"});
  return RunCaptured(registry, args);
}

TEST(AuditCommandsTest, HelpDescribesTheChecks) {
  RunResult r = RunIrm({"verify", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--public-key F"));
  EXPECT_THAT(r.out, HasSubstr("--data DIR"));
  EXPECT_THAT(r.out, HasSubstr("--checkpoint FILE"));
  EXPECT_THAT(RunIrm({"checkpoint", "--help"}).out, HasSubstr("--sign"));
}

TEST(AuditCommandsTest, UsageErrorsNeedNoServer) {
  RunResult both = RunIrm({"checkpoint", "--sign", "--list"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  RunResult event = RunIrm({"verify", "--event", "0"});
  EXPECT_EQ(event.exit_code, 2) << event.err;
  EXPECT_THAT(event.err, HasSubstr("not a log position"));
  RunResult offline_event = RunIrm({"verify", "--data", "/nonexistent", "--event", "3"});
  EXPECT_EQ(offline_event.exit_code, 2) << offline_event.err;
}

TEST(AuditCommandsTest, OfflineVerifyOfAMissingFolderIsNotFound) {
  RunResult r = RunIrm({"verify", "--data", "/nonexistent/irm-data"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("NOT_FOUND"));
}

TEST(AuditCommandsTest, KeptCheckpointFilesAreParsedStrictly) {
  const std::string path = ::testing::TempDir() + "/kept.jsonl";
  {
    std::ofstream out(path);
    out << R"({"body":"irm\n3\nGotysgGmUkfVnBWS8PxA7BS3whp8JEGY+t1vBv8BCXI=\ntime 2026-12-01T03:05:00.123456Z\n","signature":"AAAA","key_id":"0011223344556677"})"
        << "\n";
  }
  auto kept = ReadKeptCheckpoints(path);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].size, 3u);
  EXPECT_EQ((*kept)[0].key_id, "0011223344556677");
  {
    std::ofstream out(path);
    out << R"({"body":"irm\n3\n","signature":"","key_id":""})" << "\n";
  }
  auto bad = ReadKeptCheckpoints(path);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("line 1"));
  RunResult needs_key = RunIrm({"verify", "--checkpoint", path});
  EXPECT_EQ(needs_key.exit_code, 1);  // the file is bad: reading it fails first
}

}  // namespace
}  // namespace irm::cli
