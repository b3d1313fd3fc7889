#include "cli/core/progress.h"

#include <sstream>

#include "gtest/gtest.h"

namespace irm::cli {
namespace {

TEST(ProgressTest, BarShowsTheFractionDone) {
  EXPECT_EQ(Progress::Bar(0, 100, 10), "[----------]   0%");
  EXPECT_EQ(Progress::Bar(38, 100, 10), "[###-------]  38%");
  EXPECT_EQ(Progress::Bar(100, 100, 10), "[##########] 100%");
  EXPECT_EQ(Progress::Bar(250, 100, 10), "[##########] 100%");  // clamped
  EXPECT_EQ(Progress::Bar(5, 0, 4), "[----]   0%");             // unknown total
}

TEST(ProgressTest, DisabledProgressWritesNothing) {
  std::ostringstream err;
  {
    Progress progress(err, /*enabled=*/false);
    EXPECT_FALSE(progress.Due());
    progress.Show("exported 10 events");
  }
  EXPECT_EQ(err.str(), "");
}

TEST(ProgressTest, EnabledProgressRewritesOneLineAndClearsIt) {
  std::ostringstream err;
  {
    Progress progress(err, /*enabled=*/true);
    progress.Show("exported 10 events");
    progress.Show("exported 20 events");  // within the interval: skipped
  }
  EXPECT_EQ(err.str(), "\r\033[Kexported 10 events\r\033[K");
}

}  // namespace
}  // namespace irm::cli
