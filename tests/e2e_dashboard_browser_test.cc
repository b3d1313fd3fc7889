// The live dashboard in a real browser: the real irmd with --http, a few reviews loaded with
// the real irm, and tests/browser/dashboard_test.js driving headless Chromium through
// playwright-core. The script checks the table against `irm reviews --json`, records a step
// with irm and sees the row's data-stage change within two seconds without a reload, sees
// the page reconnect by itself after irmd restarts on the same port, and keeps screenshots in the build's Testing/dashboard folder. Skipped, saying why, without
// /usr/bin/chromium, node, or playwright-core (the ctest fixture dashboard_npm_ci installs it
// from tests/browser/package-lock.json).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http_fixture.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kNode[] = "/usr/bin/node";

class E2eDashboardBrowserTest : public HttpFixture {};

TEST_F(E2eDashboardBrowserTest, TableFollowsTheLogWithoutReload) {
  const std::string modules = std::string(IRM_BROWSER_MODULES) + "/playwright-core";
  if (access(kChromium, X_OK) != 0) {
    GTEST_SKIP() << kChromium << " is missing: install Debian's chromium (scripts/install-deps.sh)";
  }
  if (access(kNode, X_OK) != 0) {
    GTEST_SKIP() << kNode << " is missing: install nodejs and npm (scripts/install-deps.sh)";
  }
  if (!std::filesystem::exists(modules)) {
    GTEST_SKIP() << modules << " is missing: `npm ci` in " << IRM_BROWSER_MODULES
                 << "/.. failed or did not run (the ctest fixture dashboard_npm_ci needs the "
                    "npm registry once)";
  }
  for (const char* state : {"KEN", "FRA", "UGA", "BRA"}) {
    MustIrm({"review", "schedule", state, "--cycle", "2", "--year", "1"});
  }
  MustIrm({"review", "schedule", "ARG", "--cycle", "1", "--year", "2"});
  MustIrm({"review", "assign-reviewers", "KEN", "--cycle", "2", "--reviewers", "UGA,FRA"});
  MustIrm({"review", "assign-reviewers", "BRA", "--cycle", "2", "--reviewers", "ARG,DEU"});
  MustIrm({"review", "launch", "BRA", "--cycle", "2"});
  MustIrm({"need", "add", "BRA", "--cycle", "2", "--article", "9", "--category",
           "capacity_building", "--text", "Procurement training"});

  const std::string artefacts = IRM_TEST_ARTIFACT_DIR;
  std::filesystem::create_directories(artefacts);
  const std::string png = artefacts + "/dashboard.png";
  std::filesystem::remove(png);
  SubprocessOptions options;
  const std::string restart_file = dir_.Sub("restarted");
  options.argv = {kNode,    IRM_BROWSER_SCRIPT, "--url",        "http://" + http_ + "/",
                  "--irm",  IrmPath(),          "--server",     irmd_->address(),
                  "--state", "KEN",             "--cycle",      "2",
                  "--step", "launch",           "--expect-stage", "launched",
                  "--screenshot", png,          "--restart-file", restart_file};
  options.env = {std::string("NODE_PATH=") + IRM_BROWSER_MODULES, "HOME=" + dir_.path()};
  absl::StatusOr<std::unique_ptr<Subprocess>> node = Subprocess::Start(options);
  ASSERT_TRUE(node.ok()) << node.status();
  // Once the page has followed the first step, irmd stops and comes back on the same HTTP
  // port; the script checks that the page reconnects by itself.
  absl::StatusOr<std::string> waiting =
      (*node)->WaitForStderrLine("WAITING-FOR-RESTART", absl::Seconds(120));
  if (waiting.ok()) {
    ASSERT_NO_FATAL_FAILURE(StopServer());
    // irmd comes back only once the page has shown that it noticed the outage.
    absl::StatusOr<std::string> noticed =
        (*node)->WaitForStderrLine("OUTAGE-NOTICED", absl::Seconds(60));
    EXPECT_TRUE(noticed.ok()) << noticed.status();
    ASSERT_NO_FATAL_FAILURE(StartServer({"--http", http_}));
    std::ofstream(restart_file + ".tmp") << irmd_->address() << "\n";
    std::filesystem::rename(restart_file + ".tmp", restart_file);
  }
  absl::StatusOr<int> exit_code = (*node)->Wait(absl::Seconds(150));
  if (!exit_code.ok()) (*node)->Kill(SIGKILL);
  const std::string out = (*node)->stdout_text();
  std::fputs(out.c_str(), stdout);
  ASSERT_TRUE(exit_code.ok()) << exit_code.status() << "\n" << out;
  EXPECT_EQ(*exit_code, 0) << out << (*node)->stderr_text();
  EXPECT_THAT(out, ::testing::HasSubstr("PASS table has 5 rows, irm reviews has 5"));
  EXPECT_THAT(out, ::testing::HasSubstr("PASS data-stage became launched"));
  EXPECT_THAT(out, ::testing::HasSubstr("PASS the page reconnected by itself"));
  EXPECT_THAT(out, ::testing::Not(::testing::HasSubstr("FAIL")));
  ASSERT_TRUE(std::filesystem::exists(png)) << png;
  EXPECT_GT(std::filesystem::file_size(png), 10000u);
  std::printf("screenshot: %s\n", png.c_str());
}

}  // namespace
}  // namespace irm::tests
