// Parsing of --as-of / --known-at into a cut of history and the day overdue is judged on.
#include "services/review/history_point.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

using ::testing::HasSubstr;

TEST(HistoryPointTest, PositionDateAndKnownAt) {
  absl::StatusOr<HistoryPoint> position = ParseHistoryPoint("41", "");
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(position->cut.position, 41u);
  EXPECT_FALSE(position->cut.business_day.has_value());
  EXPECT_FALSE(position->judge_on.has_value());

  absl::StatusOr<HistoryPoint> date = ParseHistoryPoint("2019-09-30", "");
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(date->cut.business_day, absl::CivilDay(2019, 9, 30));
  EXPECT_EQ(date->judge_on, absl::CivilDay(2019, 9, 30));
  EXPECT_EQ(date->cut.recorded_before, absl::InfiniteFuture());

  absl::StatusOr<HistoryPoint> known_day = ParseHistoryPoint("", "2026-11-30");
  ASSERT_TRUE(known_day.ok()) << known_day.status();
  EXPECT_EQ(known_day->cut.recorded_before,
            absl::FromCivil(absl::CivilDay(2026, 12, 1), absl::UTCTimeZone()));
  EXPECT_EQ(known_day->judge_on, absl::CivilDay(2026, 11, 30));

  absl::StatusOr<HistoryPoint> instant = ParseHistoryPoint("", "2026-11-30T03:10:00.5Z");
  ASSERT_TRUE(instant.ok()) << instant.status();
  EXPECT_EQ(instant->cut.recorded_before,
            absl::FromCivil(absl::CivilSecond(2026, 11, 30, 3, 10, 0), absl::UTCTimeZone()) +
                absl::Milliseconds(500) + absl::Microseconds(1));

  // A date fixes the judging day even with --known-at; a position leaves it to JudgeDay.
  EXPECT_EQ(ParseHistoryPoint("2019-09-30", "2026-11-30")->judge_on, absl::CivilDay(2019, 9, 30));
  EXPECT_FALSE(ParseHistoryPoint("41", "2026-11-30")->judge_on.has_value());
  EXPECT_TRUE(ParseHistoryPoint("", "")->cut.IsNow());
}

TEST(HistoryPointTest, MalformedPointsSayWhatIsAccepted) {
  absl::Status as_of = ParseHistoryPoint("2019-02-30", "").status();
  EXPECT_TRUE(absl::IsInvalidArgument(as_of));
  EXPECT_THAT(as_of.message(), HasSubstr("neither a position (e.g. 41) nor a date"));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseHistoryPoint("0", "").status()));
  absl::Status known = ParseHistoryPoint("", "yesterday").status();
  EXPECT_TRUE(absl::IsInvalidArgument(known));
  EXPECT_THAT(known.message(), HasSubstr("RFC 3339"));
}

}  // namespace
}  // namespace irm::services
