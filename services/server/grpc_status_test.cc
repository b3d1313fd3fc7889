#include "services/server/grpc_status.h"

#include <string>

#include "engine/common/error_details.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

// The details of `status` as a client decodes them from the trailer.
google::rpc::Status Details(const absl::Status& status) {
  grpc::Status converted = ToGrpcStatus(status);
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(converted.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(converted.error_code()));
  EXPECT_EQ(details.message(), converted.error_message());
  return details;
}

template <typename T>
bool Find(const google::rpc::Status& details, T* out) {
  for (const google::protobuf::Any& any : details.details()) {
    if (any.Is<T>()) return any.UnpackTo(out);
  }
  return false;
}

TEST(GrpcStatusTest, OkHasNoDetails) {
  grpc::Status ok = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(ok.error_details().empty());
}

TEST(GrpcStatusTest, ReasonAndMetadataBecomeErrorInfo) {
  google::rpc::Status details = Details(common::WithReason(
      absl::AbortedError("stale"), "WRONG_EXPECTED_REVISION",
      {{"stream", "s"}, {"expected", "0"}, {"actual", "2"}}));
  EXPECT_EQ(details.code(), 10);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(Find(details, &info));
  EXPECT_EQ(info.reason(), "WRONG_EXPECTED_REVISION");
  EXPECT_EQ(info.domain(), "irm");
  EXPECT_EQ(info.metadata().at("actual"), "2");
  EXPECT_EQ(info.metadata().at("stream"), "s");
  google::rpc::RetryInfo retry;
  EXPECT_FALSE(Find(details, &retry));
  google::rpc::BadRequest bad;
  EXPECT_FALSE(Find(details, &bad));
}

TEST(GrpcStatusTest, FieldBecomesBadRequestAndEveryErrorHasAReason) {
  google::rpc::Status details =
      Details(common::InvalidField("events[3].data", "EVENT_TOO_LARGE", "too big",
                                   {{"limit", "1048576"}}));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(Find(details, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "events[3].data");
  EXPECT_EQ(bad.field_violations(0).description(), "too big");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(Find(details, &info));
  EXPECT_EQ(info.metadata().at("limit"), "1048576");

  ASSERT_TRUE(Find(Details(absl::NotFoundError("no such review")), &info));
  EXPECT_EQ(info.reason(), "NOT_FOUND");
}

TEST(GrpcStatusTest, UnavailableAndResourceExhaustedSayWhenToRetry) {
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(Find(Details(absl::UnavailableError("closing")), &retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  ASSERT_TRUE(Find(Details(absl::ResourceExhaustedError("disk full")), &retry));
  ASSERT_TRUE(Find(Details(common::WithRetryDelay(absl::UnavailableError("x"),
                                                  absl::Milliseconds(2500))),
                   &retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 2);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
}

TEST(GrpcStatusTest, LongTextsAreCutToFitTheTrailer) {
  const std::string hostile(100000, 'x');
  google::rpc::Status details =
      Details(common::InvalidField(hostile, "R", hostile, {{"value", hostile}}));
  EXPECT_LT(details.ByteSizeLong(), 4096u);
}

}  // namespace
}  // namespace irm::services
