#include "services/http/http_status.h"

#include "absl/time/time.h"
#include "engine/common/error_details.h"
#include "gtest/gtest.h"

namespace irm::services::http {
namespace {

TEST(HttpStatusTest, MapsEveryCodeARouteReturns) {
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInternal), 500);
}

TEST(HttpStatusTest, BodyCarriesTheReasonFieldAndRetryDelay) {
  absl::Status status = common::WithRetryDelay(
      common::WithReason(absl::AbortedError("stream s is at revision 5, not 3"),
                         "WRONG_EXPECTED_REVISION", {{"stream", "s"}, {"actual", "5"}}),
      absl::Milliseconds(1500));
  status = common::WithField(status, "expected_revision");
  const nlohmann::ordered_json body = ErrorBody(status);
  EXPECT_EQ(body["error"]["code"], "ABORTED");
  EXPECT_EQ(body["error"]["status"], 409);
  EXPECT_EQ(body["error"]["message"], "stream s is at revision 5, not 3");
  EXPECT_EQ(body["error"]["reason"], "WRONG_EXPECTED_REVISION");
  EXPECT_EQ(body["error"]["metadata"]["actual"], "5");
  EXPECT_EQ(body["error"]["field"], "expected_revision");
  EXPECT_EQ(body["error"]["retry_after_seconds"], 2);  // rounded up
  EXPECT_EQ(RetryAfterSeconds(status), 2);
}

TEST(HttpStatusTest, PlainStatusHasOnlyCodeStatusAndMessage) {
  const nlohmann::ordered_json body = ErrorBody(absl::NotFoundError("no review KEN cycle 9"));
  EXPECT_EQ(body["error"].size(), 3u);
  EXPECT_EQ(body["error"]["status"], 404);
  EXPECT_FALSE(RetryAfterSeconds(absl::UnavailableError("x")).has_value());
}

}  // namespace
}  // namespace irm::services::http
