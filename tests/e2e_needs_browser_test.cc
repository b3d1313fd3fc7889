// The HTML page of `irm report needs --format html` in a real browser: headless Chromium
// (Debian's `chromium` package, /usr/bin/chromium) renders the page made from the cycle-2
// data set, the test checks the charts and figures in the rendered DOM, and keeps a
// screenshot in the build's Testing/needs folder for reviewers. Skipped, saying why, when
// Chromium is not installed.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/needs_data_set.h"
#include "tests/support/chromium.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;

TEST(E2eNeedsBrowserTest, ChromiumRendersTheChartsAndFigures) {
  if (access(kChromium, X_OK) != 0) {
    GTEST_SKIP() << kChromium << " is missing: install Debian's `chromium` package "
                 << "(scripts/install-deps.sh) to render the needs page in a browser";
  }
  TempDir dir("irm-e2e-needs-html");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  absl::StatusOr<LoadedDataSet> loaded = LoadNeedsDataSet((*irmd)->address());
  ASSERT_TRUE(loaded.ok()) << loaded.status();

  IrmResult page = RunIrm((*irmd)->address(), {"report", "needs", "--cycle", "2", "--format",
                                               "html", "--compare", "2018-09-30"});
  ASSERT_EQ(page.exit_code, 0) << page;
  EXPECT_THAT(page.out, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page.out, ::testing::Not(HasSubstr("<script")));
  EXPECT_THAT(page.out, ::testing::Not(HasSubstr("https://")));
  const std::string html_path = dir.Sub("needs.html");
  std::ofstream(html_path) << page.out;

  const std::string url = "file://" + html_path;
  absl::StatusOr<std::string> dom = Chromium(dir.Sub("profile"), {"--dump-dom"}, url);
  ASSERT_TRUE(dom.ok()) << dom.status();
  // Four figures, each an SVG chart with its bars and the table behind it.
  EXPECT_EQ(CountOf(*dom, "<svg class=\"chart\""), 4) << *dom;
  EXPECT_EQ(CountOf(*dom, "<table class=\"figures\""), 4);
  for (const char* figure : {"needs-by-chapter", "needs-by-category", "needs-by-article",
                             "states-by-region"}) {
    EXPECT_THAT(*dom, HasSubstr(absl::StrCat("data-figure=\"", figure, "\""))) << figure;
  }
  EXPECT_EQ(CountOf(*dom, "<rect class=\"bar\""), 2 + 8 + 10 + 5);
  EXPECT_THAT(*dom, HasSubstr("<span id=\"total-needs\">282</span>"));
  EXPECT_THAT(*dom, HasSubstr("<span id=\"states-with-needs\">17</span>"));
  EXPECT_THAT(*dom, HasSubstr("27 executive summaries issued"));
  EXPECT_THAT(*dom, HasSubstr("On 2018-09-30: 164 needs"));
  EXPECT_THAT(*dom, HasSubstr(">115</text>"));  // capacity building's bar label
  EXPECT_THAT(*dom, HasSubstr("Figure 3. Chapter II needs by article</h2>"));
  EXPECT_THAT(*dom, HasSubstr("data-key=\"capacity_building\""));

  // A screenshot for reviewers, kept with the build's test output.
  const std::string artefacts = IRM_TEST_ARTIFACT_DIR;
  std::filesystem::create_directories(artefacts);
  const std::string png = artefacts + "/needs_cycle2.png";
  std::filesystem::remove(png);
  absl::StatusOr<std::string> shot = Chromium(
      dir.Sub("profile"), {"--screenshot=" + png, "--window-size=1200,2000", "--hide-scrollbars"},
      url);
  ASSERT_TRUE(shot.ok()) << shot.status();
  ASSERT_TRUE(std::filesystem::exists(png)) << png;
  EXPECT_GT(std::filesystem::file_size(png), 10000u);
  std::printf("screenshot: %s\n", png.c_str());
  EXPECT_TRUE((*irmd)->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
