// deploy/: the systemd unit passes `systemd-analyze verify` without a single warning and
// scores as well hardened in `systemd-analyze security --offline`; the example
// configuration starts the real irmd. Skipped where systemd-analyze is not installed.
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/irmd_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

constexpr char kSystemdAnalyze[] = "/usr/bin/systemd-analyze";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr
};

Outcome RunTool(const std::vector<std::string>& argv) {
  SubprocessOptions options;
  options.argv = argv;
  auto process = Subprocess::Start(options);
  if (!process.ok()) return {-1, std::string(process.status().message())};
  absl::StatusOr<int> status = (*process)->Wait(absl::Seconds(60));
  return {status.ok() ? *status : -1, (*process)->stdout_text() + (*process)->stderr_text()};
}

// The unit with ExecStart pointing at the irmd this test was built against, since verify
// checks that the program exists and is executable.
std::string WriteUnit(const TempDir& dir) {
  std::string unit = ReadFile(absl::StrCat(IRM_DEPLOY_DIR, "/irmd.service"));
  EXPECT_THAT(unit, ::testing::HasSubstr("/usr/local/bin/irmd"));
  unit = absl::StrReplaceAll(unit, {{"/usr/local/bin/irmd", IrmdPath()}});
  const std::string path = dir.Sub("irmd.service");
  std::ofstream(path) << unit;
  return path;
}

class DeployTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kSystemdAnalyze, X_OK) != 0) {
      GTEST_SKIP() << kSystemdAnalyze << " is not installed (Debian package systemd)";
    }
  }
};

TEST_F(DeployTest, UnitPassesSystemdAnalyzeVerifyWithoutWarnings) {
  TempDir dir("irm-deploy");
  Outcome verify = RunTool({kSystemdAnalyze, "verify", WriteUnit(dir)});
  EXPECT_EQ(verify.status, 0) << verify.output;
  // verify only warns (exit 0) about unknown or misspelt keys; a clean unit prints nothing.
  EXPECT_EQ(verify.output, "");
}

TEST_F(DeployTest, VerifyCatchesAMisspeltHardeningKey) {
  // Proves the test above can fail: the same check on a unit with a typo is not silent.
  TempDir dir("irm-deploy");
  const std::string path = WriteUnit(dir);
  std::string unit = ReadFile(path);
  unit = absl::StrReplaceAll(unit, {{"NoNewPrivileges=", "NoNewPrivilege="}});
  std::ofstream(path) << unit;
  Outcome verify = RunTool({kSystemdAnalyze, "verify", path});
  EXPECT_THAT(verify.output, ::testing::HasSubstr("NoNewPrivilege"));
}

TEST_F(DeployTest, UnitIsRatedWellHardened) {
  TempDir dir("irm-deploy");
  // Exposure is 0.0 (locked down) to 10.0 (unsafe); threshold counts tenths. 2.0 is "OK".
  Outcome security = RunTool({kSystemdAnalyze, "security", "--offline=yes", "--no-pager",
                          "--threshold=20", WriteUnit(dir)});
  EXPECT_EQ(security.status, 0) << security.output;
  EXPECT_THAT(security.output, ::testing::HasSubstr("Overall exposure level"));
}

TEST(DeployConfigTest, ExampleConfigurationStartsIrmd) {
  // The example names /var/lib/irm/data and fixed ports; flags win over the file, so the
  // test points them at a temporary folder and free ports and keeps every other key.
  TempDir dir("irm-deploy");
  auto irmd = IrmdProcess::Start(
      dir.Sub("data"), {"--config", absl::StrCat(IRM_DEPLOY_DIR, "/irmd.conf"), "--metrics",
                        "127.0.0.1:0"});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  EXPECT_TRUE((*irmd)->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
