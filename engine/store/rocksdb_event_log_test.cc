#include "engine/store/rocksdb_event_log.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/common/error_details.h"
#include "engine/common/uuid.h"
#include "engine/store/open_log_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::store {
namespace {

using log::AppendRequest;
using log::ExpectedRevision;
using log::ProposedEvent;

ProposedEvent JsonEvent(std::string type, std::string data, std::string id = "") {
  ProposedEvent e;
  e.type = std::move(type);
  e.data = std::move(data);
  e.id = std::move(id);
  return e;
}

AppendRequest Request(std::string stream, ExpectedRevision expected,
                      std::vector<ProposedEvent> events) {
  return AppendRequest{std::move(stream), expected, std::move(events)};
}

// The log on a fake clock, with small limits (1 KiB of data, 10 events an append).
class RocksDbEventLogTest : public OpenLogTest {
 protected:
  RocksDbEventLogTest() : OpenLogTest("irm_store") {}

  RocksDbEventLogOptions Options() override {
    RocksDbEventLogOptions options;
    options.clock = &clock_;
    options.limits.max_event_bytes = 1024;
    options.limits.max_events_per_append = 10;
    return options;
  }
  absl::StatusOr<log::AppendResult> AppendOne(const std::string& stream, ExpectedRevision e,
                                              const std::string& data = "{}") {
    return log_->Append(Request(stream, e, {JsonEvent("Noted", data)}));
  }

  common::FakeClock clock_{absl::FromUnixSeconds(1795000000)};
};

TEST_F(RocksDbEventLogTest, AssignsDensePositionsAndRevisions) {
  auto a = log_->Append(Request("review-KEN-2", ExpectedRevision::NoStream(),
                                {JsonEvent("A", "{}"), JsonEvent("B", "[1]")}));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->first_position, 1u);
  EXPECT_EQ(a->last_position, 2u);
  EXPECT_EQ(a->first_revision, 0u);
  EXPECT_EQ(a->last_revision, 1u);
  auto b = AppendOne("review-FRA-2", ExpectedRevision::Any());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->first_position, 3u);
  EXPECT_EQ(b->first_revision, 0u);
  auto c = AppendOne("review-KEN-2", ExpectedRevision::Exact(1));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->first_position, 4u);
  EXPECT_EQ(c->first_revision, 2u);
  EXPECT_EQ(log_->HeadPosition(), 4u);

  auto all = log_->ReadAll({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].position(), i + 1);
  EXPECT_EQ((*all)[1].type(), "B");
  EXPECT_EQ((*all)[1].data(), "[1]");
  EXPECT_EQ((*all)[0].metadata().recorded_at_us(), 1795000000LL * 1000000);
  EXPECT_EQ((*all)[0].id().size(), 16u);
}

TEST_F(RocksDbEventLogTest, ExpectedRevisionMismatchIsAbortedNamesActualAndWritesNothing) {
  ASSERT_TRUE(AppendOne("s-1", ExpectedRevision::Any()).ok());
  ASSERT_TRUE(AppendOne("s-1", ExpectedRevision::Any()).ok());
  struct Case {
    std::string stream;
    ExpectedRevision expected;
    std::string mentions;
  } cases[] = {
      {"s-1", ExpectedRevision::NoStream(), "is at revision 1"},
      {"s-1", ExpectedRevision::Exact(0), "is at revision 1"},
      {"s-1", ExpectedRevision::Exact(7), "expected revision 7"},
      {"s-2", ExpectedRevision::Exists(), "s-2 has no events"},
      {"s-2", ExpectedRevision::Exact(0), "s-2 has no events"},
  };
  for (const Case& c : cases) {
    auto result = AppendOne(c.stream, c.expected);
    ASSERT_FALSE(result.ok()) << c.stream << " " << c.expected.ToString();
    EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
    EXPECT_NE(result.status().message().find(c.mentions), absl::string_view::npos)
        << result.status();
  }
  EXPECT_EQ(log_->HeadPosition(), 2u);
  EXPECT_EQ(log_->GetStreamInfo("s-2").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RocksDbEventLogTest, ExpectedRevisionMismatchCarriesTheActualRevisionForPrograms) {
  ASSERT_TRUE(AppendOne("s-1", ExpectedRevision::Any()).ok());
  ASSERT_TRUE(AppendOne("s-1", ExpectedRevision::Any()).ok());
  ASSERT_TRUE(AppendOne("s-1", ExpectedRevision::Any()).ok());
  absl::Status stale = AppendOne("s-1", ExpectedRevision::Exact(0)).status();
  ASSERT_EQ(stale.code(), absl::StatusCode::kAborted);
  std::optional<common::ErrorReason> reason = common::GetErrorReason(stale);
  ASSERT_TRUE(reason.has_value()) << stale;
  EXPECT_EQ(reason->reason, "WRONG_EXPECTED_REVISION");
  EXPECT_EQ(reason->metadata,
            (common::ErrorMetadata{{"stream", "s-1"}, {"expected", "0"}, {"actual", "2"}}));
  absl::Status missing = AppendOne("s-9", ExpectedRevision::Exists()).status();
  EXPECT_EQ(common::GetErrorReason(missing)->metadata,
            (common::ErrorMetadata{{"stream", "s-9"}, {"expected", "exists"},
                                   {"actual", "no_stream"}}));
}

TEST_F(RocksDbEventLogTest, ResultListsEveryEventIdInOrderServerMadeOnesIncluded) {
  const std::string given = common::Uuid::Random().Bytes();
  auto result = log_->Append(Request("s", ExpectedRevision::Any(),
                                     {JsonEvent("A", "{}"), JsonEvent("B", "{}", given),
                                      JsonEvent("C", "{}")}));
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->ids.size(), 3u);
  EXPECT_EQ(result->ids[1], given);
  std::vector<log::EventRecord> stored = *log_->ReadAll({});
  ASSERT_EQ(stored.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(result->ids[i], stored[i].id()) << i;
  // A retry (every id given) returns the same ids.
  auto retry = log_->Append(Request("s", ExpectedRevision::Any(),
                                    {JsonEvent("A", "{}", stored[0].id()),
                                     JsonEvent("B", "{}", given),
                                     JsonEvent("C", "{}", stored[2].id())}));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->already_written);
  EXPECT_EQ(retry->ids, result->ids);
}

TEST_F(RocksDbEventLogTest, RetriedIdsReturnOriginalPositionsEvenAfterRestart) {
  const std::string id1 = common::Uuid::Random().Bytes();
  const std::string id2 = common::Uuid::Random().Bytes();
  auto first = log_->Append(Request("s", ExpectedRevision::NoStream(),
                                    {JsonEvent("A", "{\"x\":1}", id1), JsonEvent("B", "{}", id2)}));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(AppendOne("other", ExpectedRevision::Any()).ok());
  Reopen();
  // The same events again, even with a now-stale expected revision: nothing new is written.
  auto retry = log_->Append(Request("s", ExpectedRevision::NoStream(),
                                    {JsonEvent("A", "{\"x\":1}", id1), JsonEvent("B", "{}", id2)}));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->already_written);
  EXPECT_EQ(retry->first_position, 1u);
  EXPECT_EQ(retry->last_position, 2u);
  EXPECT_EQ(log_->HeadPosition(), 3u);
}

TEST_F(RocksDbEventLogTest, StoresJsonAsSentSoARetryMustSendTheSameBytes) {
  const std::string id = common::Uuid::Random().Bytes();
  const std::string sent =
      " { \"acct\" : 12345678901234567890123, \"rate\":0.30000000000000000001,\"x\":1e2,"
      "\"z\":-0,\"e\":\"\\u00e9\\n\"}\n";
  ProposedEvent event = JsonEvent("A", sent, id);
  event.metadata.set_custom_json("{ \"k\" : 1e2 }");
  auto first = log_->Append(Request("s", ExpectedRevision::Any(), {event}));
  ASSERT_TRUE(first.ok()) << first.status();
  const log::EventRecord stored = (*log_->ReadAll({}))[0];
  EXPECT_EQ(stored.data(), sent);
  EXPECT_EQ(stored.metadata().custom_json(), "{ \"k\" : 1e2 }");
  // The same bytes again: an idempotent retry. The same JSON spaced otherwise: other content.
  auto retry = log_->Append(Request("s", ExpectedRevision::Any(), {JsonEvent("A", sent, id)}));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->already_written);
  auto respaced = log_->Append(Request(
      "s", ExpectedRevision::Any(),
      {JsonEvent("A", R"({"acct":12345678901234567890123,"rate":0.30000000000000000001,)"
                      R"("x":1e2,"z":-0,"e":"\u00e9\n"})", id)}));
  EXPECT_EQ(respaced.status().code(), absl::StatusCode::kAlreadyExists) << respaced.status();
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

TEST_F(RocksDbEventLogTest, RefusesDuplicateKeysAndAByteOrderMarkWritingNothing) {
  auto duplicate =
      log_->Append(Request("s", ExpectedRevision::Any(), {JsonEvent("A", R"({"a":1,"a":2})")}));
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(duplicate.status().message(),
            "event 0 of the append to s (A): JSON data refused: duplicate key \"a\" in the "
            "top-level object (byte offset 0); keys are compared after unescaping, and each may "
            "appear once per object");
  auto bom = log_->Append(
      Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{}"), JsonEvent("B", "\xEF\xBB\xBF{}")}));
  EXPECT_EQ(bom.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bom.status().message()),
              ::testing::HasSubstr("event 1 of the append to s (B): JSON data refused: starts "
                                   "with a UTF-8 byte order mark"));
  ProposedEvent custom = JsonEvent("A", "{}");
  custom.metadata.set_custom_json(R"({"k":{"x":1,"\u0078":2}})");
  auto custom_duplicate = log_->Append(Request("s", ExpectedRevision::Any(), {custom}));
  EXPECT_THAT(std::string(custom_duplicate.status().message()),
              ::testing::HasSubstr("custom metadata refused: duplicate key \"x\" in the object "
                                   "at /k"));
  custom.metadata.set_custom_json("[1]");
  EXPECT_THAT(
      std::string(log_->Append(Request("s", ExpectedRevision::Any(), {custom})).status().message()),
      ::testing::HasSubstr("custom metadata must be one JSON object"));
  EXPECT_EQ(log_->HeadPosition(), 0u);
}

TEST_F(RocksDbEventLogTest, ReusedIdWithOtherContentIsAlreadyExists) {
  const std::string id = common::Uuid::Random().Bytes();
  ASSERT_TRUE(log_->Append(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{}", id)})).ok());
  auto other = log_->Append(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{\"y\":2}", id)}));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(other.status().message().find(common::UuidBytesToString(id)), absl::string_view::npos);
  EXPECT_NE(other.status().message().find("different data"), absl::string_view::npos)
      << other.status();
  EXPECT_EQ(common::GetErrorReason(other.status())->reason, "EVENT_ID_REUSED");
  auto partial = log_->Append(Request(
      "s", ExpectedRevision::Any(), {JsonEvent("A", "{}", id), JsonEvent("A", "{}")}));
  EXPECT_EQ(partial.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(common::GetErrorReason(partial.status())->reason, "PARTIAL_RETRY");
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

TEST_F(RocksDbEventLogTest, SameContentInAnotherStreamNamesTheStreamAndPositionOfTheId) {
  const std::string id = common::Uuid::Random().Bytes();
  ASSERT_TRUE(AppendOne("first", ExpectedRevision::Any()).ok());
  ASSERT_TRUE(log_->Append(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{}", id)})).ok());
  absl::Status moved =
      log_->Append(Request("elsewhere", ExpectedRevision::Any(), {JsonEvent("A", "{}", id)}))
          .status();
  EXPECT_EQ(moved.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(moved.message().find("already used in stream s at position 2"),
            absl::string_view::npos)
      << moved;
  EXPECT_EQ(moved.message().find("different content"), absl::string_view::npos) << moved;
  std::optional<common::ErrorReason> reason = common::GetErrorReason(moved);
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(reason->reason, "EVENT_ID_REUSED");
  EXPECT_EQ(reason->metadata,
            (common::ErrorMetadata{{"id", common::UuidBytesToString(id)},
                                   {"stream", "s"},
                                   {"position", "2"},
                                   {"revision", "0"},
                                   {"differs", "stream"}}));
}

TEST_F(RocksDbEventLogTest, RejectsBadInputWithInvalidArgumentAndWritesNothing) {
  std::vector<AppendRequest> bad;
  bad.push_back(Request("", ExpectedRevision::Any(), {JsonEvent("A", "{}")}));
  bad.push_back(Request("$all", ExpectedRevision::Any(), {JsonEvent("A", "{}")}));
  bad.push_back(Request("has space", ExpectedRevision::Any(), {JsonEvent("A", "{}")}));
  bad.push_back(Request(std::string(201, 'a'), ExpectedRevision::Any(), {JsonEvent("A", "{}")}));
  bad.push_back(Request("s", ExpectedRevision::Any(), {}));
  bad.push_back(Request("s", ExpectedRevision::Any(), {JsonEvent("", "{}")}));
  bad.push_back(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "")}));
  bad.push_back(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{\"a\":")}));
  bad.push_back(Request("s", ExpectedRevision::Any(),
                        {JsonEvent("A", absl::StrCat("\"", std::string(2000, 'x'), "\""))}));
  bad.push_back(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{}", "short")}));
  bad.push_back(Request("s", ExpectedRevision::Any(), std::vector<ProposedEvent>(11, JsonEvent("A", "{}"))));
  const std::string id = common::Uuid::Random().Bytes();
  bad.push_back(Request("s", ExpectedRevision::Any(), {JsonEvent("A", "{}", id), JsonEvent("B", "{}", id)}));
  ProposedEvent unspecified = JsonEvent("A", "{}");
  unspecified.content_type = event::v1::CONTENT_TYPE_UNSPECIFIED;
  bad.push_back(Request("s", ExpectedRevision::Any(), {unspecified}));
  // The field at fault, as a path in the API's AppendRequest.
  const std::vector<std::string> fields = {
      "stream", "stream", "stream", "stream", "events", "events[0].type", "events[0].data",
      "events[0].data", "events[0].data", "events[0].id", "events", "events[1].id",
      "events[0].content_type"};
  ASSERT_EQ(fields.size(), bad.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    const std::string stream = bad[i].stream;
    auto result = log_->Append(std::move(bad[i]));
    ASSERT_FALSE(result.ok()) << stream;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_FALSE(result.status().message().empty());
    std::optional<common::FieldViolation> field = common::GetFieldViolation(result.status());
    ASSERT_TRUE(field.has_value()) << result.status();
    EXPECT_EQ(field->field, fields[i]) << result.status();
    EXPECT_TRUE(common::GetErrorReason(result.status()).has_value()) << result.status();
  }
  EXPECT_EQ(log_->HeadPosition(), 0u);
}

TEST_F(RocksDbEventLogTest, BadNamesAreToldWhichCharacterIsNotAllowedEscaped) {
  struct Case {
    std::string stream;
    std::string says;
  } cases[] = {
      {"réview-1", "has 'é' (not ASCII) at byte 1, which is not allowed in stream names; use "
                   "only ASCII letters, digits and _ . : @ -"},
      {"évian", "has 'é' (not ASCII) at byte 0"},
      {std::string("a\0b", 3), R"('a\x00b' has '\x00' at byte 1)"},
      {"line\nbreak", R"('line\nbreak' has '\n' at byte 4)"},
      {"-dash", "must start with an ASCII letter or digit, not '-'"},
      {"\xff", R"('\xff' has '\xff' (not ASCII) at byte 0)"},
  };
  for (const Case& c : cases) {
    absl::Status s = AppendOne(c.stream, ExpectedRevision::Any()).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(c.says), absl::string_view::npos) << s.message();
    EXPECT_EQ(s.message().find('\n'), absl::string_view::npos) << s.message();
    EXPECT_EQ(s.message().find('\0'), absl::string_view::npos) << s.message();
  }
  absl::Status type = log_->Append(Request("s", ExpectedRevision::Any(), {JsonEvent("Tÿpe", "{}")}))
                          .status();
  EXPECT_NE(type.message().find("has 'ÿ' (not ASCII) at byte 1, which is not allowed in event "
                                "types; use only ASCII letters, digits and _ . -"),
            absl::string_view::npos)
      << type.message();
  EXPECT_EQ(common::GetFieldViolation(type)->field, "events[0].type");
}

TEST_F(RocksDbEventLogTest, ReadsStreamsForwardBackwardAndInPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(AppendOne("a", ExpectedRevision::Any(), absl::StrCat(i)).ok());
    ASSERT_TRUE(AppendOne("b", ExpectedRevision::Any(), absl::StrCat(i)).ok());
  }
  log::ReadStreamOptions forward;
  forward.stream = "a";
  forward.from_revision = 2;
  forward.max_count = 2;
  auto page = log_->ReadStream(forward);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].revision(), 2u);
  EXPECT_EQ((*page)[0].position(), 5u);
  EXPECT_EQ((*page)[1].data(), "3");

  log::ReadStreamOptions backward;
  backward.stream = "b";
  backward.direction = log::Direction::kBackward;
  auto back = log_->ReadStream(backward);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 5u);
  EXPECT_EQ((*back)[0].revision(), 4u);
  EXPECT_EQ((*back)[4].revision(), 0u);

  forward.from_revision = 9;
  auto past_end = log_->ReadStream(forward);
  ASSERT_TRUE(past_end.ok());
  EXPECT_TRUE(past_end->empty());

  forward.stream = "missing";
  EXPECT_EQ(log_->ReadStream(forward).status().code(), absl::StatusCode::kNotFound);

  log::ReadAllOptions all_back;
  all_back.direction = log::Direction::kBackward;
  all_back.from_position = 3;
  auto all = log_->ReadAll(all_back);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].position(), 3u);
  EXPECT_EQ((*all)[2].position(), 1u);

  auto info = log_->GetStreamInfo("b");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->last_revision, 4u);
  EXPECT_EQ(info->event_count, 5u);
  EXPECT_EQ(info->last_position, 10u);
}

TEST_F(RocksDbEventLogTest, EncodedReadsAreTheSerializedRecordsOfDecodedReads) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(AppendOne(i % 2 ? "a" : "b", ExpectedRevision::Any(),
                          absl::StrCat(R"({"i":)", i, "}"))
                    .ok());
  }
  for (log::Direction direction : {log::Direction::kForward, log::Direction::kBackward}) {
    for (uint64_t from : {1u, 4u, 7u}) {
      log::ReadAllOptions options;
      options.direction = direction;
      options.from_position = from;
      options.max_count = 3;
      auto decoded = log_->ReadAll(options);
      auto encoded = log_->ReadAllEncoded(options);
      ASSERT_TRUE(decoded.ok() && encoded.ok());
      ASSERT_EQ(encoded->size(), decoded->size()) << "from " << from;
      for (size_t i = 0; i < decoded->size(); ++i) {
        log::EventRecord parsed;
        ASSERT_TRUE(parsed.ParseFromString((*encoded)[i]));
        EXPECT_EQ(parsed.SerializeAsString(), (*decoded)[i].SerializeAsString());
      }
    }
  }
  log::ReadAllOptions past_end;
  past_end.from_position = 8;
  EXPECT_TRUE(log_->ReadAllEncoded(past_end)->empty());
}

TEST_F(RocksDbEventLogTest, SurvivesReopenAndContinuesNumbering) {
  ASSERT_TRUE(AppendOne("s", ExpectedRevision::Any()).ok());
  ASSERT_TRUE(AppendOne("s", ExpectedRevision::Any()).ok());
  Reopen();
  EXPECT_EQ(log_->HeadPosition(), 2u);
  auto next = AppendOne("s", ExpectedRevision::Exact(1));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->first_position, 3u);
  EXPECT_EQ(next->first_revision, 2u);
}

TEST_F(RocksDbEventLogTest, ClosedLogRefusesAppendsWithUnavailable) {
  log_->Close();
  EXPECT_EQ(AppendOne("s", ExpectedRevision::Any()).status().code(),
            absl::StatusCode::kUnavailable);
}

// 64 threads race to append revision r+1 to one stream with exact expected revisions:
// every revision is won by exactly one thread and no update is lost.
TEST_F(RocksDbEventLogTest, SixtyFourThreadsRacingOnOneStreamLoseNoUpdate) {
  constexpr int kThreads = 64;
  constexpr int kRevisions = 100;
  std::atomic<int> wins{0};
  std::atomic<int> conflicts{0};
  std::vector<std::vector<uint64_t>> won(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        auto info = log_->GetStreamInfo("race");
        ExpectedRevision expected =
            info.ok() ? ExpectedRevision::Exact(info->last_revision) : ExpectedRevision::NoStream();
        uint64_t next = info.ok() ? info->last_revision + 1 : 0;
        if (next >= kRevisions) return;
        auto result = log_->Append(
            Request("race", expected, {JsonEvent("Claimed", absl::StrCat("{\"thread\":", t, "}"))}));
        if (result.ok()) {
          EXPECT_EQ(result->first_revision, next);
          won[t].push_back(result->first_revision);
          ++wins;
        } else {
          EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted) << result.status();
          ++conflicts;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), kRevisions);
  std::vector<int> winners_per_revision(kRevisions, 0);
  for (const auto& revisions : won) {
    for (uint64_t r : revisions) ++winners_per_revision[r];
  }
  for (int r = 0; r < kRevisions; ++r) EXPECT_EQ(winners_per_revision[r], 1) << "revision " << r;
  log::ReadStreamOptions options;
  options.stream = "race";
  options.max_count = 1000;
  auto events = log_->ReadStream(options);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), static_cast<size_t>(kRevisions));
  for (int r = 0; r < kRevisions; ++r) {
    EXPECT_EQ((*events)[r].revision(), static_cast<uint64_t>(r));
    EXPECT_EQ((*events)[r].position(), static_cast<uint64_t>(r + 1));
  }
  std::cerr << "race: " << wins << " wins, " << conflicts << " conflicts\n";
}

TEST_F(RocksDbEventLogTest, ConcurrentDuplicatesOfOneIdWriteOnce) {
  const std::string id = common::Uuid::Random().Bytes();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      auto r = log_->Append(Request("dup", ExpectedRevision::Any(), {JsonEvent("A", "{}", id)}));
      if (r.ok() && r->first_position == 1) ++ok;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(log_->HeadPosition(), 1u);
}

// ForEachStreamEvent reads a stream longer than its chunk (1,000) in order, even when the
// visitor moves the records away, stops when told, and visits nothing for a missing stream.
TEST_F(RocksDbEventLogTest, ForEachStreamEventVisitsEveryRevisionInOrderAcrossChunks) {
  for (int i = 0; i < 250; ++i) {  // 2,500 events of "long", 10 an append, between others
    std::vector<log::ProposedEvent> events(10, JsonEvent("Noted", "{}"));
    ASSERT_TRUE(log_->Append(Request("long", ExpectedRevision::Any(), events)).ok());
    if (i % 10 == 0) {
      ASSERT_TRUE(AppendOne("other", ExpectedRevision::Any()).ok());
    }
  }
  std::vector<uint64_t> revisions;
  ASSERT_TRUE(log::ForEachStreamEvent(*log_, "long", [&](log::EventRecord& event)
                                          -> absl::StatusOr<bool> {
    log::EventRecord taken = std::move(event);
    revisions.push_back(taken.revision());
    EXPECT_EQ(taken.stream(), "long");
    return true;
  }).ok());
  ASSERT_EQ(revisions.size(), 2500u);
  for (size_t i = 0; i < revisions.size(); ++i) ASSERT_EQ(revisions[i], i);

  int visited = 0;
  ASSERT_TRUE(log::ForEachStreamEvent(*log_, "long", [&](log::EventRecord&)
                                          -> absl::StatusOr<bool> { return ++visited < 1200; })
                  .ok());
  EXPECT_EQ(visited, 1200);
  absl::Status failed = log::ForEachStreamEvent(
      *log_, "long", [](log::EventRecord&) -> absl::StatusOr<bool> {
        return absl::InternalError("visitor failed");
      });
  EXPECT_EQ(failed.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(log::ForEachStreamEvent(*log_, "missing", [](log::EventRecord&)
                                          -> absl::StatusOr<bool> {
    ADD_FAILURE() << "visited an event of a missing stream";
    return true;
  }).ok());
}

TEST_F(RocksDbEventLogTest, CommitListenerSeesEveryNewHeadWithItsEvents) {
  ASSERT_TRUE(AppendOne("before", ExpectedRevision::Any()).ok());  // no listener yet
  std::vector<uint64_t> heads;
  std::vector<log::CommittedEvent> handed;
  log_->SetCommitListener([&](uint64_t head, std::vector<log::CommittedEvent> events) {
    heads.push_back(head);
    for (auto& event : events) handed.push_back(std::move(event));
  });
  ASSERT_TRUE(AppendOne("s", ExpectedRevision::Any()).ok());
  ASSERT_TRUE(AppendOne("s", ExpectedRevision::Any()).ok());
  ASSERT_FALSE(AppendOne("s", ExpectedRevision::NoStream()).ok());
  EXPECT_EQ(heads, (std::vector<uint64_t>{2, 3}));
  log::ReadAllOptions options;
  options.from_position = 2;
  auto stored = log_->ReadAllEncoded(options);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(handed.size(), 2u);
  ASSERT_EQ(stored->size(), 2u);
  for (size_t i = 0; i < handed.size(); ++i) {
    EXPECT_EQ(handed[i].record->position(), i + 2);
    EXPECT_EQ(handed[i].record->stream(), "s");
    EXPECT_EQ(handed[i].encoded, (*stored)[i]) << "the handed bytes are not the stored ones";
    EXPECT_EQ(handed[i].record->SerializeAsString(), handed[i].encoded);
  }
}

// Appends from many threads are committed partly by the appending threads themselves
// (leader-follower) and partly by the writer thread: positions stay dense and in commit
// order, and the commit listener is called one call at a time with increasing heads, is
// handed every event exactly once in position order, and is told the final head (just after
// the last append was acknowledged).
TEST_F(RocksDbEventLogTest, ConcurrentCommitsKeepPositionsDenseAndTheListenerSerialized) {
  constexpr int kThreads = 16;
  constexpr int kAppends = 40;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  // Written only inside the listener, which is serialized.
  std::vector<uint64_t> heads;
  std::vector<uint64_t> handed_positions;
  bool head_is_last_event = true;
  std::atomic<uint64_t> last_head{0};
  log_->SetCommitListener([&](uint64_t head, std::vector<log::CommittedEvent> events) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    heads.push_back(head);
    for (const auto& event : events) handed_positions.push_back(event.record->position());
    if (events.empty() || events.back().record->position() != head) head_is_last_event = false;
    last_head = head;
    inside.fetch_sub(1);
  });
  std::vector<std::vector<uint64_t>> positions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppends; ++i) {
        auto result = AppendOne(absl::StrCat("s", t), i == 0 ? ExpectedRevision::NoStream()
                                                             : ExpectedRevision::Exact(i - 1));
        ASSERT_TRUE(result.ok()) << result.status();
        EXPECT_EQ(result->first_revision, static_cast<uint64_t>(i));
        positions[t].push_back(result->first_position);
      }
    });
  }
  for (auto& th : threads) th.join();
  const uint64_t final_head = kThreads * kAppends;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (last_head.load() < final_head && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  log_->SetCommitListener(nullptr);  // returns once no listener call runs

  std::vector<uint64_t> all;
  for (const auto& p : positions) {
    EXPECT_TRUE(std::is_sorted(p.begin(), p.end()));  // one thread's appends in order
    all.insert(all.end(), p.begin(), p.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kAppends));
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i + 1) << "positions are not dense";
  EXPECT_EQ(log_->HeadPosition(), all.size());
  EXPECT_FALSE(overlapped.load()) << "two listener calls ran at once";
  ASSERT_FALSE(heads.empty());
  EXPECT_TRUE(std::is_sorted(heads.begin(), heads.end()));
  EXPECT_EQ(std::adjacent_find(heads.begin(), heads.end()), heads.end()) << "a head repeated";
  EXPECT_EQ(heads.back(), all.size());
  EXPECT_EQ(handed_positions, all) << "events handed over out of order, twice or not at all";
  EXPECT_TRUE(head_is_last_event);
}

// Close while other threads keep appending: every append either succeeds (and is there
// after reopening) or fails with Unavailable; none is lost or left without an answer.
// Between RocksDB publishing a group and the head advancing, a stream's newest index entry
// lies past the head; reads of that stream must still see it as it was at the head (never
// NOT_FOUND for a stream that exists, never an event past the head).
TEST_F(RocksDbEventLogTest, ReadsRacingAppendsSeeExistingStreamsAtTheHead) {
  constexpr int kStreams = 4;
  constexpr int kAppends = 400;
  for (int s = 0; s < kStreams; ++s) {
    ASSERT_TRUE(AppendOne(absl::StrCat("race-", s), ExpectedRevision::NoStream()).ok());
  }
  std::atomic<int> writers_left{kStreams};
  std::vector<std::thread> writers;
  for (int s = 0; s < kStreams; ++s) {
    writers.emplace_back([this, s, &writers_left] {
      for (int i = 0; i < kAppends; ++i) {
        EXPECT_TRUE(AppendOne(absl::StrCat("race-", s), ExpectedRevision::Any()).ok());
      }
      --writers_left;
    });
  }
  std::atomic<int> not_found{0};
  std::atomic<int> past_head{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, this] {
      while (writers_left.load() > 0) {
        for (int s = 0; s < kStreams; ++s) {
          const std::string stream = absl::StrCat("race-", s);
          absl::StatusOr<log::StreamInfo> info = log_->GetStreamInfo(stream);
          ++reads;
          if (absl::IsNotFound(info.status())) ++not_found;
          if (!info.ok()) continue;
          const uint64_t head = log_->HeadPosition();
          if (info->last_position > head) ++past_head;
          // The next revision: empty (or newer events at the head), never NOT_FOUND.
          log::ReadStreamOptions next;
          next.stream = stream;
          next.from_revision = info->last_revision + 1;
          absl::StatusOr<std::vector<log::EventRecord>> events = log_->ReadStream(next);
          if (absl::IsNotFound(events.status())) ++not_found;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  for (std::thread& t : readers) t.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(not_found.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(past_head.load(), 0);
}

TEST_F(RocksDbEventLogTest, CloseDuringConcurrentAppendsAnswersEveryAppend) {
  constexpr int kThreads = 8;
  std::atomic<bool> go{true};
  std::vector<uint64_t> acknowledged[kThreads];
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (go.load()) {
        auto result = AppendOne(absl::StrCat("c", t), ExpectedRevision::Any());
        if (result.ok()) {
          acknowledged[t].push_back(result->first_position);
        } else {
          EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
          return;
        }
      }
    });
  }
  // Close once every thread is appending (a few hundred commits in), not after a guessed time.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (log_->HeadPosition() < 300 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_GE(log_->HeadPosition(), 300u);
  log_->Close();
  go = false;
  for (auto& th : threads) th.join();
  Reopen();
  size_t total = 0;
  for (const auto& list : acknowledged) {
    total += list.size();
    for (uint64_t position : list) {
      log::ReadAllOptions options;
      options.from_position = position;
      options.max_count = 1;
      auto events = log_->ReadAll(options);
      ASSERT_TRUE(events.ok()) << events.status();
      ASSERT_EQ(events->size(), 1u) << "acknowledged position " << position << " is missing";
    }
  }
  EXPECT_GT(total, 0u);
  EXPECT_EQ(log_->HeadPosition(), total);
}

}  // namespace
}  // namespace irm::store
