#include "engine/review/event_schema.h"

#include <string>

#include "engine/common/uuid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/event/v1/event_voided.pb.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

using ::testing::HasSubstr;

log::ProposedEvent Event(const std::string& type, event::v1::ContentType content_type,
                         const std::string& data) {
  log::ProposedEvent event;
  event.type = type;
  event.content_type = content_type;
  event.data = data;
  return event;
}

log::AppendRequest Append(const std::string& stream, std::vector<log::ProposedEvent> events) {
  log::AppendRequest request;
  request.stream = stream;
  request.events = std::move(events);
  return request;
}

std::string Launched() {
  event::v1::ReviewLaunched launched;
  launched.set_on("2016-06-01");
  return launched.SerializeAsString();
}

TEST(EventSchemaTest, ReviewStreamsTakeTheWorkflowsEventsAsTheirMessages) {
  EXPECT_TRUE(CheckAppendSchema(Append("review-KEN-2", {Event("ReviewLaunched",
                                                              event::v1::CONTENT_TYPE_PROTOBUF,
                                                              Launched())}))
                  .ok());
  // Other streams have no schema here.
  EXPECT_TRUE(CheckAppendSchema(Append("notes", {Event("Anything", event::v1::CONTENT_TYPE_JSON,
                                                       "{}")}))
                  .ok());
}

TEST(EventSchemaTest, RefusalNamesTheEventAndWhatWasWrong) {
  log::ProposedEvent bad = Event("ReviewScheduled", event::v1::CONTENT_TYPE_PROTOBUF, "\xff\xff");
  bad.id = common::Uuid::Parse("123e4567-e89b-42d3-a456-426614174000")->Bytes();
  absl::Status s = CheckAppendSchema(Append(
      "review-KEN-2", {Event("ReviewLaunched", event::v1::CONTENT_TYPE_PROTOBUF, Launched()), bad}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("event 1 (id 123e4567-e89b-42d3-a456-426614174000, type "
                        "ReviewScheduled) of the append to review-KEN-2: its data (2 bytes) "
                        "does not parse as irm.event.v1.ReviewScheduled"));

  s = CheckEventSchema("review-KEN-2", "ReviewTeleported", event::v1::CONTENT_TYPE_PROTOBUF, "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("not an event of the review workflow"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("ChecklistSubmitted"));

  s = CheckEventSchema("review-KEN-2", "ReviewLaunched", event::v1::CONTENT_TYPE_JSON, "{}");
  EXPECT_THAT(std::string(s.message()), HasSubstr("content type is json"));
}

TEST(EventSchemaTest, VoidedStreamTakesOnlyCompleteVoidRecords) {
  event::v1::EventVoided voided;
  voided.set_position(7);
  voided.set_event_id(std::string(16, 'x'));
  voided.set_reason("unreadable");
  EXPECT_TRUE(CheckEventSchema(kVoidedStream, kEventVoidedType, event::v1::CONTENT_TYPE_PROTOBUF,
                               voided.SerializeAsString())
                  .ok());
  EXPECT_FALSE(
      CheckEventSchema(kVoidedStream, "Note", event::v1::CONTENT_TYPE_JSON, "{}").ok());
  voided.clear_reason();
  EXPECT_THAT(std::string(CheckEventSchema(kVoidedStream, kEventVoidedType,
                                           event::v1::CONTENT_TYPE_PROTOBUF,
                                           voided.SerializeAsString())
                              .message()),
              HasSubstr("reason is empty"));
  voided.set_reason("x");
  voided.set_event_id("short");
  EXPECT_THAT(std::string(CheckEventSchema(kVoidedStream, kEventVoidedType,
                                           event::v1::CONTENT_TYPE_PROTOBUF,
                                           voided.SerializeAsString())
                              .message()),
              HasSubstr("16-byte id"));
}

}  // namespace
}  // namespace irm::review
