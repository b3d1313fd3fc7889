// Large events end to end: whatever irmd accepted, every read path gives back, byte for byte,
// to the real irm and to a gRPC client built with default settings (4 MiB receive limit).
// Also the limits that make that so (--max-event-bytes, the record ceiling), the read
// responses' continuation fields, subscribing beyond the head and checkpoint intervals.
#include <algorithm>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/log/message_budget.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/audit.grpc.pb.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

using api::v1::LogService;
using event::v1::EventRecord;
using ::testing::HasSubstr;

constexpr size_t kMiB = 1u << 20;

// Compact JSON data of exactly `size` bytes (at least 32), different for every `seed`:
// {"i":SEED,"blob":"<letters>"}, the letters cut from a random table at an offset of the
// seed's own (cheap enough for 150 MiB).
std::string JsonOfSize(uint64_t seed, size_t size) {
  static const std::string* const kLetters = [] {
    auto* letters = new std::string(8191, 'a');
    std::mt19937 rng(17);
    for (char& c : *letters) c = static_cast<char>('a' + rng() % 26);
    return letters;
  }();
  std::string data = absl::StrCat(R"({"i":)", seed, R"(,"blob":")");
  const size_t letters = size - data.size() - 2;
  data.reserve(size);
  for (size_t at = (seed * 977) % kLetters->size(), left = letters; left > 0;) {
    const size_t n = std::min(left, kLetters->size() - at);
    data.append(*kLetters, at, n);
    left -= n;
    at = 0;
  }
  data += "\"}";
  return data;
}

// One planned event, in position order.
struct Planned {
  std::string stream;
  std::string data;
};

// A gRPC channel with default settings: gRPC's default 4 MiB receive limit, as a client in
// any language has unless it raises it.
std::shared_ptr<grpc::Channel> DefaultChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

// Fails unless `events`, the events of one message, keep to the message budget: at most
// about 1 MiB, or one event alone.
void ExpectWithinBudget(const google::protobuf::RepeatedPtrField<EventRecord>& events) {
  if (events.size() <= 1) return;
  size_t bytes = 0;
  for (const EventRecord& e : events) bytes += log::EventFieldBytes(e.ByteSizeLong());
  EXPECT_LE(bytes, log::kMessageEventBytes) << events.size() << " events in one message";
}

class E2eLargeEventsTest : public ServedLogTest {
 protected:
  E2eLargeEventsTest() : ServedLogTest("irm-e2e-large") {}

  // Appends `events` of `stream` in one append through a gRPC client; fatal on failure.
  void AppendAll(const std::string& stream, const std::vector<std::string>& datas,
                 const std::string& type = "Blob") {
    api::v1::AppendRequest request;
    request.set_stream(stream);
    for (const std::string& data : datas) {
      api::v1::ProposedEvent* event = request.add_events();
      event->set_type(type);
      event->set_content_type(event::v1::CONTENT_TYPE_JSON);
      event->set_data(data);
    }
    auto stub = LogService::NewStub(DefaultChannel(irmd_->address()));
    grpc::ClientContext context;
    api::v1::AppendResponse response;
    grpc::Status status = stub->Append(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
  }

  // Compares JSON lines of events (irm read --json, export, subscribe --json) with `plan`:
  // same count and order, and each line holds its event's stream and its data exactly as
  // sent (the data is compact JSON, which irm prints as it is).
  static void ExpectEvents(const std::string& lines, const std::vector<Planned>& plan,
                           const std::string& what) {
    size_t i = 0;
    for (size_t begin = 0; begin < lines.size(); ++i) {
      size_t end = lines.find('\n', begin);
      if (end == std::string::npos) end = lines.size();
      const absl::string_view line(lines.data() + begin, end - begin);
      begin = end + 1;
      ASSERT_LT(i, plan.size()) << what << ": more events than appended";
      EXPECT_TRUE(absl::StrContains(line, absl::StrCat(R"("stream":")", plan[i].stream, "\"")))
          << what << " event " << i;
      ASSERT_TRUE(absl::StrContains(line, absl::StrCat(R"("data":)", plan[i].data)))
          << what << " event " << i << ": data differs";
    }
    EXPECT_EQ(i, plan.size()) << what;
  }
};

// 135 events of exactly 1 MiB of data (the default limit), mixed with smaller ones: once
// 256 of them made one message, and every read failed with RESOURCE_EXHAUSTED forever.
TEST_F(E2eLargeEventsTest, EveryReadPathReturnsEveryByteOf135EventsOf1MiB) {
  std::vector<Planned> plan;
  std::vector<Planned> big;
  for (int batch = 0; batch < 9; ++batch) {
    std::vector<std::string> datas;
    for (int i = 0; i < 15; ++i) datas.push_back(JsonOfSize(batch * 15 + i, kMiB));
    ASSERT_NO_FATAL_FAILURE(AppendAll("big-1", datas));
    for (std::string& data : datas) {
      plan.push_back({"big-1", data});
      big.push_back({"big-1", std::move(data)});
    }
    // Smaller events between, so messages also pack several events.
    std::vector<std::string> small = {JsonOfSize(1000 + batch, 300 << 10),
                                      JsonOfSize(2000 + batch, 300 << 10),
                                      JsonOfSize(3000 + batch, 64)};
    ASSERT_NO_FATAL_FAILURE(AppendAll("small-1", small));
    for (std::string& data : small) plan.push_back({"small-1", std::move(data)});
  }
  ASSERT_EQ(Head(), plan.size());

  // The real irm: export, '$all', one stream, a subscription from the start.
  const std::string file = dir_.Sub("export.jsonl");
  IrmResult exported = Irm({"export", "--output", file});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  EXPECT_THAT(exported.err, HasSubstr(absl::StrCat("exported ", plan.size(), " events")));
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  ExpectEvents(text.str(), plan, "irm export");

  IrmResult all = Irm({"read", "$all", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  ExpectEvents(all.out, plan, "irm read $all");

  IrmResult stream = Irm({"read", "big-1", "--json"});
  ASSERT_EQ(stream.exit_code, 0) << stream.err;
  ExpectEvents(stream.out, big, "irm read big-1");

  IrmResult subscribed =
      Irm({"subscribe", "--from", "start", "--json", "--count", absl::StrCat(plan.size())});
  ASSERT_EQ(subscribed.exit_code, 0) << subscribed.err;
  ExpectEvents(subscribed.out, plan, "irm subscribe --from start");

  // A client with gRPC's default settings reads everything, every way.
  auto stub = LogService::NewStub(DefaultChannel(irmd_->address()));
  {
    grpc::ClientContext context;
    api::v1::ReadAllRequest request;
    auto reader = stub->ReadAll(&context, request);
    api::v1::ReadResponse response;
    size_t i = 0, messages = 0, packed = 0;
    while (reader->Read(&response)) {
      ++messages;
      if (response.events_size() > 1) ++packed;
      ExpectWithinBudget(response.events());
      for (const EventRecord& e : response.events()) {
        ASSERT_LT(i, plan.size());
        EXPECT_EQ(e.position(), i + 1);
        ASSERT_TRUE(e.data() == plan[i].data) << "ReadAll event " << i;
        ++i;
      }
      EXPECT_EQ(response.next_position(), i + 1);
    }
    grpc::Status status = reader->Finish();
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    EXPECT_EQ(i, plan.size());
    EXPECT_TRUE(response.reached_end());
    EXPECT_GT(packed, 0u) << "small events share messages";
    EXPECT_LT(messages, plan.size());
  }
  {
    grpc::ClientContext context;
    api::v1::ReadStreamRequest request;
    request.set_stream("big-1");
    request.set_backwards(true);
    request.set_from_end(true);
    auto reader = stub->ReadStream(&context, request);
    api::v1::ReadResponse response;
    size_t count = 0;
    while (reader->Read(&response)) {
      ExpectWithinBudget(response.events());
      for (const EventRecord& e : response.events()) {
        const size_t i = big.size() - 1 - count++;
        ASSERT_EQ(e.revision(), i);
        ASSERT_TRUE(e.data() == big[i].data) << "ReadStream backwards revision " << i;
      }
    }
    grpc::Status status = reader->Finish();
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    EXPECT_EQ(count, big.size());
    EXPECT_TRUE(response.reached_end());
  }
  {
    grpc::ClientContext context;
    api::v1::SubscribeRequest request;
    request.set_start(api::v1::SUBSCRIBE_FROM_START);
    auto reader = stub->Subscribe(&context, request);
    api::v1::SubscribeResponse response;
    size_t i = 0;
    bool caught_up = false;
    while (!caught_up && reader->Read(&response)) {
      ExpectWithinBudget(response.events());
      for (const EventRecord& e : response.events()) {
        ASSERT_LT(i, plan.size());
        ASSERT_TRUE(e.data() == plan[i].data) << "Subscribe event " << i;
        ++i;
      }
      EXPECT_LE(response.checkpoint(), response.head());
      caught_up = response.caught_up();
    }
    EXPECT_TRUE(caught_up);
    EXPECT_EQ(i, plan.size());
    context.TryCancel();
    reader->Finish();
  }
  {
    // The auditor's leaves: the stored bytes, which must parse to the same events.
    auto audit = api::v1::AuditService::NewStub(DefaultChannel(irmd_->address()));
    uint64_t next = 0;
    while (next < plan.size()) {
      grpc::ClientContext context;
      api::v1::GetLeavesRequest request;
      request.set_first_index(next);
      api::v1::GetLeavesResponse response;
      grpc::Status status = audit->GetLeaves(&context, request, &response);
      ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
      ASSERT_GT(response.leaves_size(), 0);
      size_t bytes = 0;
      for (const std::string& leaf : response.leaves()) {
        bytes += log::EventFieldBytes(leaf.size());
        EventRecord e;
        ASSERT_TRUE(e.ParseFromString(leaf));
        ASSERT_TRUE(e.data() == plan[next].data) << "leaf " << next;
        ++next;
      }
      if (response.leaves_size() > 1) EXPECT_LE(bytes, log::kMessageEventBytes);
    }
  }
}

TEST_F(E2eLargeEventsTest, DataPlusCustomMetadataOverTheLimitIsRefusedNamingIt) {
  const std::string metadata = R"({"note":"some custom metadata"})";
  const std::string over = dir_.Sub("over.json");
  const std::string exact = dir_.Sub("exact.json");
  std::ofstream(over, std::ios::binary) << JsonOfSize(1, kMiB - metadata.size() + 1);
  std::ofstream(exact, std::ios::binary) << JsonOfSize(2, kMiB - metadata.size());

  IrmResult refused =
      Irm({"append", "s-1", "Blob", "--data", "@" + over, "--metadata", metadata});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(refused.err, HasSubstr(absl::StrCat("has ", kMiB - metadata.size() + 1,
                                                  " bytes of data and ", metadata.size(),
                                                  " bytes of custom metadata; at most 1048576")));
  EXPECT_THAT(refused.err, HasSubstr("--max-event-bytes"));
  EXPECT_EQ(Head(), 0u) << "nothing appended";

  IrmResult accepted =
      Irm({"append", "s-1", "Blob", "--data", "@" + exact, "--metadata", metadata});
  EXPECT_EQ(accepted.exit_code, 0) << accepted;
  EXPECT_EQ(Head(), 1u);
}

TEST(E2eLargeEventsConfigTest, IrmdRefusesMaxEventBytesAboveWhatADefaultClientCanRead) {
  TempDir dir("irm-e2e-large-flag");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd =
      IrmdProcess::Start(dir.Sub("data"), {"--max-event-bytes", "3670017"});
  ASSERT_FALSE(irmd.ok());
  EXPECT_THAT(std::string(irmd.status().message()),
              HasSubstr("--max-event-bytes 3670017 is above the maximum of 3670016"));
}

// At the highest --max-event-bytes, with every other field of the record as long as it
// may be, one event still reaches a default client on every path; metadata that would make
// the record larger than a default client reads is refused.
class E2eLargestEventTest : public E2eLargeEventsTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer({"--max-event-bytes", "3670016"}));
  }
};

TEST_F(E2eLargestEventTest, AnEventAtTheCeilingReachesADefaultClientOnEveryPath) {
  const std::string stream = std::string(199, 's') + "1";
  const std::string type = "T" + std::string(127, 't');
  const std::string custom = absl::StrCat(R"({"m":")", std::string(100000, 'm'), R"("})");
  api::v1::AppendRequest request;
  request.set_stream(stream);
  for (int i = 0; i < 2; ++i) {
    api::v1::ProposedEvent* event = request.add_events();
    event->set_type(type);
    event->set_content_type(event::v1::CONTENT_TYPE_JSON);
    event->set_data(JsonOfSize(i, 3670016 - custom.size()));
    event->set_custom_json(custom);
    event->set_correlation_id(std::string(1000, 'c'));
    event->set_causation_id(std::string(1000, 'k'));
  }
  auto stub = LogService::NewStub(DefaultChannel(irmd_->address()));
  {
    grpc::ClientContext context;
    api::v1::AppendResponse response;
    grpc::Status status = stub->Append(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
  }
  {
    grpc::ClientContext context;
    auto reader = stub->ReadAll(&context, api::v1::ReadAllRequest());
    api::v1::ReadResponse response;
    int events = 0;
    while (reader->Read(&response)) events += response.events_size();
    grpc::Status status = reader->Finish();
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    EXPECT_EQ(events, 2);
  }
  {
    grpc::ClientContext context;
    api::v1::ReadStreamRequest read;
    read.set_stream(stream);
    auto reader = stub->ReadStream(&context, read);
    api::v1::ReadResponse response;
    int events = 0;
    while (reader->Read(&response)) events += response.events_size();
    grpc::Status status = reader->Finish();
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    EXPECT_EQ(events, 2);
  }
  {
    grpc::ClientContext context;
    api::v1::SubscribeRequest subscribe;
    subscribe.set_start(api::v1::SUBSCRIBE_FROM_START);
    auto reader = stub->Subscribe(&context, subscribe);
    api::v1::SubscribeResponse response;
    int events = 0;
    bool caught_up = false;
    while (!caught_up && reader->Read(&response)) {
      events += response.events_size();
      caught_up = response.caught_up();
    }
    EXPECT_EQ(events, 2);
    context.TryCancel();
    reader->Finish();
  }
  {
    auto audit = api::v1::AuditService::NewStub(DefaultChannel(irmd_->address()));
    grpc::ClientContext context;
    api::v1::GetLeavesRequest leaves;
    api::v1::GetLeavesResponse response;
    grpc::Status status = audit->GetLeaves(&context, leaves, &response);
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    EXPECT_EQ(response.leaves_size(), 1);  // one event this large per message
  }

  // The same event with half a MiB of correlation id would not fit a 4 MiB message.
  request.mutable_events()->DeleteSubrange(1, 1);
  request.mutable_events(0)->set_data(JsonOfSize(9, 3670016 - custom.size()));
  request.mutable_events(0)->set_correlation_id(std::string(512 << 10, 'c'));
  grpc::ClientContext context;
  api::v1::AppendResponse response;
  grpc::Status status = stub->Append(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("an event record is at most 4128768 bytes"));
  EXPECT_EQ(Head(), 2u);
}

TEST_F(E2eLargeEventsTest, ReadResponsesSayWhereToContinueAndWhetherTheEndWasReached) {
  ASSERT_NO_FATAL_FAILURE(AppendAll("s-1", {"{}", "{}", "{}", "{}"}));
  auto stub = LogService::NewStub(DefaultChannel(irmd_->address()));
  // Reads one stream with `request`; the last message.
  auto read_stream = [&](const api::v1::ReadStreamRequest& request, int* events) {
    grpc::ClientContext context;
    auto reader = stub->ReadStream(&context, request);
    api::v1::ReadResponse response, last;
    int messages = 0;
    *events = 0;
    while (reader->Read(&response)) {
      ++messages;
      *events += response.events_size();
      last = response;
    }
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_GE(messages, 1) << "a read sends at least one message";
    return last;
  };
  int events = 0;
  api::v1::ReadStreamRequest request;
  request.set_stream("s-1");
  request.set_limit(3);
  api::v1::ReadResponse last = read_stream(request, &events);
  EXPECT_EQ(events, 3);
  EXPECT_FALSE(last.reached_end());
  EXPECT_EQ(last.next_revision(), 3u);

  request.set_limit(4);
  last = read_stream(request, &events);
  EXPECT_EQ(events, 4);
  EXPECT_TRUE(last.reached_end()) << "the limit and the end coincide: the end wins";
  EXPECT_EQ(last.next_revision(), 4u);

  request.set_limit(0);
  request.set_from_end(true);
  last = read_stream(request, &events);
  EXPECT_EQ(events, 0);
  EXPECT_TRUE(last.reached_end());
  EXPECT_EQ(last.next_revision(), 4u) << "the revision the next event will have";

  {
    grpc::ClientContext context;
    api::v1::ReadAllRequest all;
    all.set_backwards(true);
    all.set_from_position(3);
    auto reader = stub->ReadAll(&context, all);
    api::v1::ReadResponse response;
    std::vector<uint64_t> positions;
    while (reader->Read(&response)) {
      for (const EventRecord& e : response.events()) positions.push_back(e.position());
    }
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_EQ(positions, (std::vector<uint64_t>{3, 2, 1}));
    EXPECT_TRUE(response.reached_end());
    EXPECT_EQ(response.next_position(), 0u);
  }

  IrmResult limited = Irm({"read", "s-1", "--limit", "2"});
  EXPECT_EQ(limited.exit_code, 0) << limited;
  EXPECT_EQ(Lines(limited.out).size(), 2u);
  EXPECT_EQ(limited.err, "more events follow: continue with --from 2\n");
  IrmResult whole = Irm({"read", "s-1"});
  EXPECT_EQ(whole.err, "") << "the end was reached";
}

TEST_F(E2eLargeEventsTest, SubscribingBeyondTheHeadIsOutOfRangeNamingTheHead) {
  ASSERT_NO_FATAL_FAILURE(AppendAll("s-1", {"{}", "{}", "{}"}));
  IrmResult beyond = Irm({"subscribe", "--from", "90"});
  EXPECT_NE(beyond.exit_code, 0);
  EXPECT_THAT(beyond.err, HasSubstr("OUT_OF_RANGE: from_position 90 is beyond the log's head 3; "
                                    "subscribe from at most 4"));
  IrmResult two_beyond = Irm({"subscribe", "--from", "5"});
  EXPECT_THAT(two_beyond.err, HasSubstr("OUT_OF_RANGE"));

  // head + 1 is the next event: allowed, and delivered once appended.
  SubprocessOptions options;
  options.argv = {IrmPath(), "--server", irmd_->address(), "subscribe", "--from", "4",
                  "--count", "1", "--json"};
  options.env = {"IRM_SERVER=", "IRM_TOKEN="};
  absl::StatusOr<std::unique_ptr<Subprocess>> next = Subprocess::Start(options);
  ASSERT_TRUE(next.ok()) << next.status();
  // Whether the append comes before the subscription or after, position 4 is delivered.
  ASSERT_NO_FATAL_FAILURE(AppendAll("s-2", {R"({"n":4})"}));
  absl::StatusOr<int> exit = (*next)->Wait(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, 0) << (*next)->stderr_text();
  std::vector<std::string> lines = Lines((*next)->stdout_text());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["position"], 4);
}

TEST_F(E2eLargeEventsTest, ASmallCheckpointIntervalIsHonouredExactly) {
  std::vector<std::string> datas(100, "{}");
  ASSERT_NO_FATAL_FAILURE(AppendAll("s-1", datas, "Seen"));
  auto stub = LogService::NewStub(DefaultChannel(irmd_->address()));
  grpc::ClientContext context;
  api::v1::SubscribeRequest request;
  request.set_start(api::v1::SUBSCRIBE_FROM_START);
  request.add_types("NeverAppended");
  request.set_checkpoint_interval(7);
  auto reader = stub->Subscribe(&context, request);
  api::v1::SubscribeResponse response;
  std::vector<uint64_t> checkpoints;
  while (reader->Read(&response)) {
    EXPECT_EQ(response.events_size(), 0);
    checkpoints.push_back(response.checkpoint());
    if (response.caught_up()) break;
  }
  context.TryCancel();
  reader->Finish();
  std::vector<uint64_t> expected;
  for (uint64_t p = 7; p <= 100; p += 7) expected.push_back(p);
  expected.push_back(100);  // caught up at the head
  EXPECT_EQ(checkpoints, expected);
}

}  // namespace
}  // namespace irm::tests
