#include "services/http/stream_slots.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services::http {
namespace {

using ::testing::HasSubstr;

TEST(StreamSlotsTest, CapsPerClientAndInTotalAndFreesOnRelease) {
  StreamSlots slots(/*max_total=*/3, /*max_per_client=*/2);
  auto a1 = slots.Acquire("127.0.0.2");
  auto a2 = slots.Acquire("127.0.0.2");
  ASSERT_TRUE(a1.ok() && a2.ok());
  auto a3 = slots.Acquire("127.0.0.2");
  EXPECT_EQ(a3.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(a3.status().message(), HasSubstr("--http-max-streams-per-client"));
  auto b1 = slots.Acquire("127.0.0.3");
  ASSERT_TRUE(b1.ok());
  auto c1 = slots.Acquire("127.0.0.4");
  EXPECT_EQ(c1.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(c1.status().message(), HasSubstr("--http-max-streams)"));
  EXPECT_EQ(slots.open(), 3u);
  a1->reset();
  EXPECT_EQ(slots.open(), 2u);
  EXPECT_TRUE(slots.Acquire("127.0.0.4").ok()) << "a released slot is free again";
  EXPECT_EQ(slots.open(), 2u) << "the temporary slot was released at once";
}

}  // namespace
}  // namespace irm::services::http
