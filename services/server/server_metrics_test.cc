#include "services/server/server_metrics.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace irm::services {
namespace {

using ::testing::HasSubstr;

std::string Text(const ServerMetrics& metrics) {
  return prometheus::TextSerializer().Serialize(metrics.registry()->Collect());
}

TEST(ServerMetricsTest, ShortensMethodNames) {
  EXPECT_EQ(ServerMetrics::ShortMethod("/irm.api.v1.LogService/Append"), "LogService/Append");
  EXPECT_EQ(ServerMetrics::ShortMethod("/grpc.health.v1.Health/Check"), "Health/Check");
  EXPECT_EQ(ServerMetrics::ShortMethod("/Plain/Call"), "Plain/Call");
  EXPECT_EQ(ServerMetrics::ShortMethod("odd"), "odd");
}

TEST(ServerMetricsTest, CountsCallsByMethodAndCode) {
  ServerMetrics metrics;
  FinishedCall call;
  call.method = "/irm.api.v1.LogService/Append";
  call.duration = absl::Milliseconds(3);
  metrics.OnCallFinished(call);
  metrics.OnCallFinished(call);
  call.code = grpc::StatusCode::ABORTED;
  metrics.OnCallFinished(call);
  const std::string text = Text(metrics);
  EXPECT_THAT(text, HasSubstr(R"(irm_requests_total{code="OK",method="LogService/Append"} 2)"));
  EXPECT_THAT(text,
              HasSubstr(R"(irm_requests_total{code="ABORTED",method="LogService/Append"} 1)"));
  EXPECT_THAT(text,
              HasSubstr(R"(irm_request_duration_seconds_count{method="LogService/Append"} 3)"));
  EXPECT_THAT(text, HasSubstr(
                        R"(irm_request_duration_seconds_bucket{method="LogService/Append",le="0.0025"} 0)"));
  EXPECT_THAT(text, HasSubstr(
                        R"(irm_request_duration_seconds_bucket{method="LogService/Append",le="0.005"} 3)"));
}

TEST(ServerMetricsTest, CountsEventsOnlyForSuccessfulAppends) {
  ServerMetrics metrics;
  metrics.OnAppend(3, absl::Microseconds(800), absl::StatusCode::kOk);
  metrics.OnAppend(0, absl::Microseconds(50), absl::StatusCode::kAborted);
  metrics.OnAppend(2, absl::Microseconds(900), absl::StatusCode::kOk);
  const std::string text = Text(metrics);
  EXPECT_THAT(text, HasSubstr("irm_appended_events_total 5\n"));
  EXPECT_THAT(text, HasSubstr(R"(irm_append_requests_total{code="OK"} 2)"));
  EXPECT_THAT(text, HasSubstr(R"(irm_append_requests_total{code="ABORTED"} 1)"));
  EXPECT_THAT(text, HasSubstr("irm_append_duration_seconds_count 3\n"));
  EXPECT_THAT(text, HasSubstr(R"(irm_append_duration_seconds_bucket{le="0.0001"} 1)"));
  EXPECT_THAT(text, HasSubstr(R"(irm_append_duration_seconds_bucket{le="0.001"} 3)"));
}

}  // namespace
}  // namespace irm::services
