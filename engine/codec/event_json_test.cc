#include "engine/codec/event_json.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace irm::codec {
namespace {

using event::v1::EventRecord;
using google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kId[] = "123e4567-e89b-42d3-a456-426614174000";
constexpr int64_t kRecordedAt = 1795428000123456;  // 2026-11-23T10:00:00.123456Z

EventRecord JsonEvent() {
  EventRecord record;
  record.set_position(7);
  record.set_stream("review-KEN-2");
  record.set_revision(3);
  record.set_id(common::Uuid::Parse(kId)->Bytes());
  record.set_type("ChecklistSubmitted");
  record.set_content_type(event::v1::CONTENT_TYPE_JSON);
  record.set_data(R"({"publish":true,"pages":12})");
  record.mutable_metadata()->set_recorded_at_us(kRecordedAt);
  return record;
}

void ExpectRoundTrip(const EventRecord& record) {
  std::string line = EventToJsonLine(record);
  absl::StatusOr<EventRecord> parsed = ParseEventJson(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << line;
  EXPECT_TRUE(MessageDifferencer::Equals(record, *parsed))
      << "want " << record.DebugString() << "\ngot " << parsed->DebugString();
}

TEST(EventJsonTest, WritesTheDocumentedShape) {
  EXPECT_EQ(EventToJsonLine(JsonEvent()),
            R"({"position":7,"stream":"review-KEN-2","revision":3,"id":")" + std::string(kId) +
                R"(","type":"ChecklistSubmitted","content_type":"json",)"
                R"("recorded_at":"2026-11-23T10:00:00.123456Z",)"
                R"("data":{"publish":true,"pages":12},"metadata":{}})");
}

TEST(EventJsonTest, RoundTripsJsonEvent) { ExpectRoundTrip(JsonEvent()); }

TEST(EventJsonTest, RoundTripsFullMetadata) {
  EventRecord record = JsonEvent();
  auto* metadata = record.mutable_metadata();
  metadata->mutable_actor()->set_name("Ana Ruiz");
  metadata->mutable_actor()->set_role("focal_point");
  metadata->mutable_actor()->set_state("KEN");
  metadata->set_on_behalf_of("focal_point:KEN");
  metadata->set_correlation_id("corr-1");
  metadata->set_causation_id("cause-1");
  metadata->set_request_id("req-1");
  metadata->set_custom_json(R"({ "source" : "email", "n":[1,2e0]})");
  auto* origin = metadata->mutable_imported_from();
  origin->set_position(42);
  origin->mutable_metadata()->set_recorded_at_us(kRecordedAt - 1000000);
  origin->mutable_metadata()->mutable_actor()->set_name("Old Secretariat");
  origin->mutable_metadata()->set_custom_json(R"({"k":"v\u00e9"})");
  ExpectRoundTrip(record);

  EXPECT_THAT(EventToJsonLine(record),
              HasSubstr(R"("metadata":{"actor":{"name":"Ana Ruiz","role":"focal_point",)"
                        R"("state":"KEN"},"on_behalf_of":"focal_point:KEN",)"
                        R"("correlation_id":"corr-1","causation_id":"cause-1",)"
                        R"("request_id":"req-1","custom":{ "source" : "email", "n":[1,2e0]},)"
                        R"("imported_from":{"position":42,"metadata":{)"
                        R"("recorded_at":"2026-11-23T09:59:59.123456Z",)"
                        R"("actor":{"name":"Old Secretariat"},"custom":{"k":"v\u00e9"}}}}})"));
}

// The data of the issue that was once stored rewritten: every byte comes back.
constexpr char kExactData[] =
    R"({"acct":12345678901234567890123,"rate":0.30000000000000000001,"x":1e2,"z":-0,)"
    R"("e":"\u00e9\n\/","big":1e400, "spaced" : [ 1 ,2 ] })";

TEST(EventJsonTest, JsonDataIsEmbeddedVerbatim) {
  EventRecord record = JsonEvent();
  record.set_data(kExactData);
  const std::string line = EventToJsonLine(record);
  EXPECT_THAT(line, HasSubstr(absl::StrCat(R"("data":)", kExactData, R"(,"metadata":{})")));
  absl::StatusOr<EventRecord> parsed = ParseEventJson(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->data(), kExactData);
  ExpectRoundTrip(record);
}

TEST(EventJsonTest, JsonWithALineBreakTravelsAsBase64SoTheLineStaysOneLine) {
  EventRecord record = JsonEvent();
  record.set_data("{\n  \"a\": 1,\r\n  \"b\": [1e2]\n}\n");
  record.mutable_metadata()->set_custom_json("{\n\"k\":1}");
  const std::string line = EventToJsonLine(record);
  EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << line;
  EXPECT_THAT(line, HasSubstr(absl::StrCat(R"("data_base64":")",
                                           absl::Base64Escape(record.data()), "\"")));
  EXPECT_THAT(line, Not(HasSubstr(R"("data":)")));
  EXPECT_THAT(line, HasSubstr(absl::StrCat(R"("custom_base64":")",
                                           absl::Base64Escape("{\n\"k\":1}"), "\"")));
  ExpectRoundTrip(record);
}

TEST(EventJsonTest, CustomMetadataThatIsNotJsonTravelsAsBase64) {
  EventRecord record = JsonEvent();
  record.mutable_metadata()->set_custom_json("not json");
  EXPECT_THAT(EventToJsonLine(record),
              HasSubstr(absl::StrCat(R"("custom_base64":")", absl::Base64Escape("not json"))));
  ExpectRoundTrip(record);
}

// EventRecord itself is a message of irm.event.v1, so it exercises the descriptor path.
EventRecord ProtobufEvent() {
  EventRecord inner = JsonEvent();
  inner.mutable_metadata()->mutable_actor()->set_role("secretariat");
  EventRecord record = JsonEvent();
  record.set_type("EventRecord");
  record.set_content_type(event::v1::CONTENT_TYPE_PROTOBUF);
  std::string bytes;
  inner.SerializeToString(&bytes);
  record.set_data(bytes);
  return record;
}

nlohmann::json ParsedLine(const EventRecord& record) {
  return nlohmann::json::parse(EventToJsonLine(record));
}

TEST(EventJsonTest, ProtobufDataTravelsAsBase64WithItsJsonMappingForPeople) {
  nlohmann::json json = ParsedLine(ProtobufEvent());
  EXPECT_EQ(json["content_type"], "protobuf");
  EXPECT_FALSE(json.contains("data")) << json.dump();
  EXPECT_EQ(json["data_base64"], absl::Base64Escape(ProtobufEvent().data()));
  EXPECT_EQ(json["decoded"]["stream"], "review-KEN-2");
  EXPECT_EQ(json["decoded"]["content_type"], "CONTENT_TYPE_JSON");
  EXPECT_EQ(json["decoded"]["metadata"]["recorded_at_us"], std::to_string(kRecordedAt));
  ExpectRoundTrip(ProtobufEvent());
}

TEST(EventJsonTest, ProtobufDataKeepsBytesTheMappingWouldLose) {
  EventRecord record = ProtobufEvent();
  record.mutable_data()->append("\xf8\x07\x01", 3);  // unknown field 127, varint 1
  nlohmann::json json = ParsedLine(record);
  EXPECT_TRUE(json.contains("decoded"));
  EXPECT_TRUE(json.contains("data_base64"));
  ExpectRoundTrip(record);
}

TEST(EventJsonTest, ReadsProtobufDataAsTheJsonMappingOfEarlierExports) {
  nlohmann::ordered_json old = nlohmann::ordered_json::parse(EventToJsonLine(ProtobufEvent()));
  old["data"] = old["decoded"];
  old.erase("data_base64");
  old.erase("decoded");
  absl::StatusOr<EventRecord> parsed = ParseEventJson(old.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(MessageDifferencer::Equals(ProtobufEvent(), *parsed)) << parsed->DebugString();
}

TEST(EventJsonTest, RefusesTheJsonMappingOfAnUnknownProtobufType) {
  nlohmann::ordered_json old = nlohmann::ordered_json::parse(EventToJsonLine(ProtobufEvent()));
  old["type"] = "Nope";
  old["data"] = old["decoded"];
  old.erase("data_base64");
  EXPECT_THAT(ParseEventJson(old.dump()).status().message(),
              HasSubstr("no protobuf message irm.event.v1.Nope is known to this program; give "
                        "the bytes as 'data_base64'"));
}

TEST(EventJsonTest, UnknownProtobufTypeTravelsAsBase64) {
  EventRecord record = JsonEvent();
  record.set_type("NoSuchMessage");
  record.set_content_type(event::v1::CONTENT_TYPE_PROTOBUF);
  record.set_data(std::string("\x08\x01\xff", 3));
  nlohmann::json json = ParsedLine(record);
  EXPECT_FALSE(json.contains("data"));
  EXPECT_FALSE(json.contains("decoded"));
  EXPECT_EQ(json["data_base64"], absl::Base64Escape(record.data()));
  ExpectRoundTrip(record);
}

TEST(EventJsonTest, StoredBytesThatAreNotValidJsonTravelAsBase64) {
  EventRecord proto = ProtobufEvent();
  proto.set_data("\xff\xff\xff");
  EXPECT_FALSE(ParsedLine(proto).contains("decoded"));
  ExpectRoundTrip(proto);

  // Stored before JSON was checked strictly, or imported unchecked: never embedded as is.
  for (const char* data : {"{not json", R"({"a":1,"a":2})", "\xEF\xBB\xBF{}", "\"\xff\""}) {
    EventRecord json = JsonEvent();
    json.set_data(data);
    EXPECT_FALSE(ParsedLine(json).contains("data")) << data;
    ExpectRoundTrip(json);
  }
}

TEST(EventJsonTest, ARedactedViewSaysSo) {
  EventJsonOptions redacted;
  redacted.redacted = true;
  EXPECT_THAT(EventToJsonLine(JsonEvent(), redacted),
              HasSubstr(R"("recorded_at":"2026-11-23T10:00:00.123456Z","redacted":true,"data")"));
  EXPECT_THAT(EventToJsonLine(JsonEvent()), Not(HasSubstr("redacted")));
  // A redacted view is not the stored event: it does not import.
  absl::StatusOr<EventRecord> parsed = ParseEventJson(EventToJsonLine(JsonEvent(), redacted));
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("redacted"));
}

TEST(EventJsonTest, DataTextIsOneLineForPeople) {
  EventRecord record = JsonEvent();
  record.set_data("{\n\t\"a\": \"x\\ny\",\r\n \"n\": 1e2}");
  EXPECT_EQ(DataText(record), "{  \"a\": \"x\\ny\",   \"n\": 1e2}");
  EXPECT_THAT(DataText(ProtobufEvent()), HasSubstr(R"("stream":"review-KEN-2")"));
  record.set_data("{bad");
  EXPECT_EQ(DataText(record), "base64:" + absl::Base64Escape("{bad"));
}

TEST(EventJsonTest, JsonNullIsDataLikeAnyOther) {
  EventRecord record = JsonEvent();
  record.set_data("null");
  EXPECT_THAT(EventToJsonLine(record), HasSubstr(R"("data":null,)"));
  ExpectRoundTrip(record);
}

TEST(EventJsonTest, ImportKeepsJsonDataAsWrittenInTheLine) {
  std::string line = EventToJsonLine(JsonEvent());
  line.replace(line.find(R"({"publish")"), 1, "{ ");
  absl::StatusOr<EventRecord> parsed = ParseEventJson(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->data(), R"({ "publish":true,"pages":12})");
}

TEST(EventJsonTest, AcceptsMinimalLineWithSecondsOnly) {
  absl::StatusOr<EventRecord> parsed =
      ParseEventJson(R"({"position":1,"stream":"s","revision":0,"id":")" + std::string(kId) +
                     R"(","type":"T","recorded_at":"2026-11-23T10:00:00Z","data":[1]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->content_type(), event::v1::CONTENT_TYPE_JSON);
  EXPECT_EQ(parsed->data(), "[1]");
  EXPECT_EQ(parsed->metadata().recorded_at_us(), kRecordedAt - 123456);
}

// Replaces `from` (which must occur) in the documented line with `to` and parses it.
absl::Status ParseEdited(const std::string& from, const std::string& to) {
  EventRecord record = ProtobufEvent();
  record.mutable_metadata()->mutable_imported_from()->set_position(5);
  std::string line = EventToJsonLine(record);
  size_t at = line.find(from);
  if (at == std::string::npos) return absl::InternalError("test bug: " + from);
  line.replace(at, from.size(), to);
  return ParseEventJson(line).status();
}

TEST(EventJsonTest, RejectsMalformedLinesNamingTheField) {
  EXPECT_THAT(ParseEventJson("{\"position\":").status().message(),
              HasSubstr("line is not valid JSON: not well-formed JSON: expected a value"));
  EXPECT_THAT(ParseEventJson(R"({"position":1,"position":2})").status().message(),
              HasSubstr("line is not valid JSON: duplicate key \"position\""));
  EXPECT_THAT(ParseEventJson("[1]").status().message(), HasSubstr("not a JSON object"));
  struct Case {
    std::string from, to, message;
  };
  for (const Case& c : std::vector<Case>{
           {R"("stream":"review-KEN-2",)", "", "field 'stream' is missing"},
           {R"("revision":3)", R"("revision":"3")", "field 'revision': expected an unsigned"},
           {R"("position":7)", R"("position":-7)", "field 'position': expected an unsigned"},
           {kId, "not-a-uuid", "field 'id': invalid event id 'not-a-uuid'"},
           {R"("content_type":"protobuf")", R"("content_type":"xml")", "field 'content_type'"},
           {"2026-11-23T10", "2026-13-23T10", "field 'recorded_at': expected an RFC 3339"},
           {R"("data_base64":")", R"("data_base64":"%%%","x":")",
            "field 'data_base64': expected base64"},
           {R"("data_base64":")", R"("data":{"bogus_field":1},"x":")", "not the JSON form of"},
           {R"("metadata":{"imported_from")", R"("metadata":{"custom":{"a":1e400},"actor":7,"x")",
            "field 'metadata.actor': expected an object, got 7"},
           {R"("metadata":{"imported_from")", R"("metadata":[],"x":{"imported_from")",
            "field 'metadata': expected an object"},
           {R"("position":5)", R"("position":"5")",
            "field 'metadata.imported_from.position': expected an unsigned integer"},
       }) {
    absl::Status status = ParseEdited(c.from, c.to);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.from << " " << status;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.from;
  }
}

TEST(EventJsonTest, TimestampsAreRfc3339Utc) {
  EXPECT_EQ(FormatTimestampMicros(kRecordedAt), "2026-11-23T10:00:00.123456Z");
  EXPECT_EQ(FormatTimestampMicros(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(*ParseTimestampMicros("2026-11-23T10:00:00.123456Z"), kRecordedAt);
  EXPECT_EQ(*ParseTimestampMicros("2026-11-23T11:00:00.123456+01:00"), kRecordedAt);
  EXPECT_FALSE(ParseTimestampMicros("yesterday").ok());
}

}  // namespace
}  // namespace irm::codec
