#include "engine/common/error_details.h"

#include "gtest/gtest.h"

namespace irm::common {
namespace {

TEST(ErrorDetailsTest, ReasonAndMetadataRoundTrip) {
  absl::Status s = WithReason(absl::AbortedError("stale"), "WRONG_EXPECTED_REVISION",
                              {{"stream", "a:b"}, {"expected", "3"}, {"actual", ""}});
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(s.message(), "stale");
  std::optional<ErrorReason> reason = GetErrorReason(s);
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(reason->reason, "WRONG_EXPECTED_REVISION");
  ASSERT_EQ(reason->metadata.size(), 3u);
  EXPECT_EQ(reason->metadata[0], std::make_pair(std::string("stream"), std::string("a:b")));
  EXPECT_EQ(reason->metadata[2].second, "");
  EXPECT_FALSE(GetFieldViolation(s).has_value());
  EXPECT_FALSE(GetRetryDelay(s).has_value());
}

TEST(ErrorDetailsTest, FieldDefaultsToTheMessageAndNestsUnderAPrefix) {
  absl::Status s = InvalidField("data", "EVENT_TOO_LARGE", "too big", {{"limit", "10"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolation(s)->field, "data");
  EXPECT_EQ(GetFieldViolation(s)->description, "too big");
  s = UnderField(s, "events[3]");
  EXPECT_EQ(GetFieldViolation(s)->field, "events[3].data");
  EXPECT_EQ(GetErrorReason(s)->reason, "EVENT_TOO_LARGE");
  EXPECT_EQ(GetFieldViolation(UnderField(absl::InvalidArgumentError("x"), "stream"))->field,
            "stream");
  EXPECT_EQ(GetFieldViolation(UnderField(WithField(absl::InvalidArgumentError("x"), "[2]"),
                                         "types"))->field,
            "types[2]");
}

TEST(ErrorDetailsTest, ContextKeepsTheDetails) {
  absl::Status s = WithContext(InvalidField("type", "INVALID_EVENT_TYPE", "bad type"), "event 3");
  EXPECT_EQ(s.message(), "event 3: bad type");
  EXPECT_EQ(GetErrorReason(s)->reason, "INVALID_EVENT_TYPE");
  EXPECT_EQ(GetFieldViolation(s)->description, "event 3: bad type");
  EXPECT_TRUE(WithContext(absl::OkStatus(), "x").ok());
}

TEST(ErrorDetailsTest, OkStaysOkAndRetryDelayRoundTrips) {
  EXPECT_TRUE(WithReason(absl::OkStatus(), "X").ok());
  EXPECT_TRUE(UnderField(absl::OkStatus(), "x").ok());
  absl::Status s = WithRetryDelay(absl::UnavailableError("closing"), absl::Seconds(2));
  EXPECT_EQ(GetRetryDelay(s), absl::Seconds(2));
}

}  // namespace
}  // namespace irm::common
