// The console in a real browser: the real irmd with --auth and --http, reviews prepared with
// the real irm, and tests/browser/console_test.js driving headless Chromium through
// playwright-core as the secretariat, a focal point, a reviewer, an observer and an auditor
// (what each scenario checks is listed at the top of the script). Screenshots go to the
// build's Testing/console folder. Skipped, saying why, without /usr/bin/chromium, node, or
// playwright-core (installed by the ctest fixture dashboard_npm_ci).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/auth_fixture.h"
#include "tests/http_fixture.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kNode[] = "/usr/bin/node";

class E2eConsoleBrowserTest : public AuthFixture {
 protected:
  void SetUp() override {
    const std::string modules = std::string(IRM_BROWSER_MODULES) + "/playwright-core";
    if (access(kChromium, X_OK) != 0) {
      GTEST_SKIP() << kChromium << " is missing: install Debian's chromium (scripts/install-deps.sh)";
    }
    if (access(kNode, X_OK) != 0) {
      GTEST_SKIP() << kNode << " is missing: install nodejs and npm (scripts/install-deps.sh)";
    }
    if (!std::filesystem::exists(modules)) {
      GTEST_SKIP() << modules << " is missing: `npm ci` in " << IRM_BROWSER_MODULES
                   << "/.. failed or did not run (the ctest fixture dashboard_npm_ci)";
    }
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--http", "127.0.0.1:0"}));
    http_ = HttpAddressOf(irmd_->stderr_text());
    ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
  }

  void Must(const std::string& token, const std::vector<std::string>& args) {
    IrmResult result = As(token, args);
    ASSERT_EQ(result.exit_code, 0) << result;
  }

  // Runs console_test.js with `scenario`; its stdout.
  std::string RunScenario(const std::string& scenario) {
    const std::string artefacts = IRM_TEST_ARTIFACT_DIR;
    std::filesystem::create_directories(artefacts);
    const nlohmann::json tokens = {{"sec", kSec}, {"ken", kKen}, {"fra", kFra},
                                   {"aud", kAud}, {"obs", kObs}};
    SubprocessOptions options;
    options.argv = {kNode,      IRM_CONSOLE_SCRIPT, "--url",      "http://" + http_,
                    "--irm",    IrmPath(),          "--server",   irmd_->address(),
                    "--scenario", scenario,         "--tokens",   tokens.dump(),
                    "--artefacts", artefacts};
    options.env = {std::string("NODE_PATH=") + IRM_BROWSER_MODULES, "HOME=" + dir_.path()};
    absl::StatusOr<std::unique_ptr<Subprocess>> node = Subprocess::Start(options);
    EXPECT_TRUE(node.ok()) << node.status();
    if (!node.ok()) return "";
    absl::StatusOr<int> exit_code = (*node)->Wait(absl::Seconds(150));
    if (!exit_code.ok()) (*node)->Kill(SIGKILL);
    const std::string out = (*node)->stdout_text();
    std::fputs(out.c_str(), stdout);
    EXPECT_TRUE(exit_code.ok()) << exit_code.status() << "\n" << out;
    if (exit_code.ok()) EXPECT_EQ(*exit_code, 0) << out << (*node)->stderr_text();
    EXPECT_THAT(out, ::testing::HasSubstr("PASS all"));
    EXPECT_THAT(out, ::testing::Not(::testing::HasSubstr("FAIL")));
    return out;
  }

  std::string http_;
};

TEST_F(E2eConsoleBrowserTest, TheSecretariatAdvancesAReviewThroughTheForms) {
  Must(kSec, {"review", "schedule", "KEN", "--cycle", "2", "--year", "1", "--on", "2015-11-06"});
  Must(kSec, {"review", "assign-reviewers", "KEN", "--cycle", "2", "--reviewers", "UGA,FRA",
              "--on", "2016-01-15"});
  const std::string out = RunScenario("secretariat");
  EXPECT_THAT(out, ::testing::HasSubstr("PASS issue-summary: data-stage completed shown"));
  for (const char* png : {"console-my-work.png", "console-review.png"}) {
    const std::string path = std::string(IRM_TEST_ARTIFACT_DIR) + "/" + png;
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_GT(std::filesystem::file_size(path), 10000u);
    std::printf("screenshot: %s\n", path.c_str());
  }
}

TEST_F(E2eConsoleBrowserTest, EachRoleSeesItsOwnFormsOnly) {
  LaunchKen();
  Step(kSec, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-10"});
  Step(kSec, "kickoff", {"--on", "2016-07-01"});
  Must(kSec, {"review", "schedule", "NGA", "--cycle", "2", "--year", "1", "--on", "2015-11-06"});
  Must(kSec, {"review", "assign-reviewers", "NGA", "--cycle", "2", "--reviewers", "GHA,BRA",
              "--on", "2016-01-15"});
  Must(kSec, {"review", "launch", "NGA", "--cycle", "2", "--on", "2016-06-01"});
  Must(kSec, {"review", "focal-point", "NGA", "--cycle", "2", "--name", "N", "--on", "2016-06-10"});
  Must(kSec, {"review", "kickoff", "NGA", "--cycle", "2", "--on", "2016-07-01"});
  const std::string out = RunScenario("roles");
  EXPECT_THAT(out, ::testing::HasSubstr("PASS a forged POST for NGA gets 403"));
}

}  // namespace
}  // namespace irm::tests
