// irmd's HTTP side with --auth: each principal's bearer token gives over HTTP exactly what
// the same token gives over gRPC through `irm` (the same Authenticator and redaction code),
// no token gives the observer view, and a bad token is 401.
#include <sys/socket.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/auth_fixture.h"
#include "tests/http_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;

class E2eHttpAuthTest : public AuthFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--http", "127.0.0.1:0"}));
    http_ = HttpAddressOf(irmd_->stderr_text());
    ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
  }

  HttpAnswer Get(const std::string& path, const std::string& token) {
    if (token.empty()) return HttpGet(http_, path);
    return HttpGet(http_, path, {{"Authorization", "Bearer " + token}});
  }

  // The data: lines of /api/events from the start up to position `last`, as `token` sees them.
  std::vector<json> Events(const std::string& token, int last) {
    httplib::Client client("http://" + http_);
    client.set_read_timeout(10, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    SseParser parser;
    client.Get("/api/events?from=start", headers, [&](const char* data, size_t size) {
      parser.Feed(data, size);
      return parser.messages().empty() || parser.messages().back().id != std::to_string(last);
    });
    std::vector<json> events;
    for (const SseMessage& m : parser.messages()) {
      if (!m.data.empty()) events.push_back(json::parse(m.data));
    }
    return events;
  }

  std::string http_;
};

TEST_F(E2eHttpAuthTest, EveryTokenSeesOverHttpWhatItSeesOverGrpc) {
  LaunchKen();
  Step(kKen, "focal-point", {"--name", "Ana Ruiz"});
  ASSERT_EQ(As(kKen, {"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
                      "capacity_building", "--text", "Secret plan"})
                .exit_code,
            0);
  const int head = static_cast<int>(Head());
  for (const char* token : {kSec, kKen, kUga, kFra, kBra, kAud, kObs}) {
    SCOPED_TRACE(token);
    json cli = JsonAs(token, {"status", "KEN", "--cycle", "2"});
    HttpAnswer http = Get("/api/reviews/KEN/2", token);
    ASSERT_EQ(http.status, 200) << http.text;
    EXPECT_EQ(http.body, cli);
    IrmResult read = As(token, {"--json", "read", "$all"});
    ASSERT_EQ(read.exit_code, 0) << read;
    std::vector<json> expected;
    for (const std::string& line : Lines(read.out)) expected.push_back(json::parse(line));
    // A redacted view says so, on the event stream and in `irm read --json` alike (gRPC
    // ReadResponse.redacted_positions). Every event has an actor name, which only the full
    // audience sees: each event is redacted for the others.
    const bool full = std::string(token) == kSec || std::string(token) == kAud ||
                      std::string(token) == kKen || std::string(token) == kFra;
    std::vector<json> events = Events(token, head);
    ASSERT_FALSE(events.empty());
    for (const json& event : events) EXPECT_EQ(event.value("redacted", false), !full) << event;
    for (const json& event : expected) EXPECT_EQ(event.value("redacted", false), !full) << event;
    EXPECT_EQ(events, expected);
    // So does `irm subscribe --json`.
    IrmResult subscribed =
        As(token, {"--json", "subscribe", "--from", "start", "--count", std::to_string(events.size())});
    ASSERT_EQ(subscribed.exit_code, 0) << subscribed;
    std::vector<json> live;
    for (const std::string& line : Lines(subscribed.out)) live.push_back(json::parse(line));
    EXPECT_EQ(live, expected);
  }
  // The secretariat sees the name and the need's text; an observer neither.
  EXPECT_EQ(Get("/api/reviews/KEN/2", kSec).body["focal_point"], "Ana Ruiz");
  HttpAnswer observer = Get("/api/reviews/KEN/2", "");
  EXPECT_EQ(observer.body, JsonAs(kObs, {"status", "KEN", "--cycle", "2"}))
      << "no token is the observer view";
  EXPECT_EQ(observer.body["focal_point"], nullptr);
  EXPECT_EQ(observer.body["needs"], 1);
  for (const json& event : Events("", head)) {
    EXPECT_EQ(event.dump().find("Secret plan"), std::string::npos);
    EXPECT_EQ(event.dump().find("Ana Ruiz"), std::string::npos);
  }
  bool secretariat_saw_need = false;
  for (const json& event : Events(kSec, head)) {
    secretariat_saw_need |= event.dump().find("Secret plan") != std::string::npos;
  }
  EXPECT_TRUE(secretariat_saw_need);
}

// The event stream gives the secretariat each event's data byte for byte: JSON verbatim as
// `data`, or `data_base64` where it holds a line break, so each SSE data: line is one event.
TEST_F(E2eHttpAuthTest, EventStreamGivesTheDataByteForByte) {
  const std::string exact =
      R"({"acct":12345678901234567890123,"rate":0.30000000000000000001,"x":1e2,"z":-0,)"
      R"("e":"\u00e9\n"})";
  const std::string spaced = "{\r\n \"n\" : 1e400,\n \"s\": \"\\ud83d\\ude00\"\n}";
  ASSERT_EQ(As(kSec, {"append", "notes-1", "T", "--data", exact, "--metadata", R"({ "k":1 })"})
                .exit_code,
            0);
  ASSERT_EQ(As(kSec, {"append", "notes-1", "T", "--data", spaced}).exit_code, 0);
  httplib::Client client("http://" + http_);
  client.set_read_timeout(10, 0);
  SseParser parser;
  client.Get("/api/events?from=start", {{"Authorization", std::string("Bearer ") + kSec}},
             [&](const char* data, size_t size) {
               parser.Feed(data, size);
               return parser.messages().empty() || parser.messages().back().id != "2";
             });
  std::vector<std::string> lines;
  for (const SseMessage& m : parser.messages()) {
    if (!m.data.empty()) lines.push_back(m.data);
  }
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], ::testing::HasSubstr(absl::StrCat(R"("data":)", exact,
                                                          R"(,"metadata":)")));
  EXPECT_THAT(lines[0], ::testing::HasSubstr(R"("custom":{ "k":1 })"));
  EXPECT_THAT(lines[0], ::testing::Not(::testing::HasSubstr("redacted")));
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(json::parse(lines[1])["data_base64"].get<std::string>(),
                                   &bytes));
  EXPECT_EQ(bytes, spaced);
  // The same lines as `irm read --json` writes.
  IrmResult read = As(kSec, {"--json", "read", "notes-1"});
  EXPECT_EQ(Lines(read.out), lines);
}

TEST_F(E2eHttpAuthTest, UnknownTokensAreUnauthenticated) {
  for (const char* path : {"/api/reviews", "/api/needs", "/api/events"}) {
    HttpAnswer answer = Get(path, "not-a-token");
    EXPECT_EQ(answer.status, 401) << path << ": " << answer.text;
    EXPECT_EQ(answer.body["error"]["code"], "UNAUTHENTICATED") << path;
  }
  HttpAnswer basic = HttpGet(http_, "/api/reviews", {{"Authorization", "Basic abc"}});
  EXPECT_EQ(basic.status, 401);
  EXPECT_EQ(Get("/api/reviews", "").status, 200) << "no token: observer";
}

// The secretariat's stream of raw events (observers never see raw streams): while its
// client reads nothing, about 4 MB of appends go through unhindered; then it gets them all.
TEST_F(E2eHttpAuthTest, AStalledClientNeverHoldsUpTheWriterAndThenGetsEverything) {
  constexpr int kBatches = 20, kPerBatch = 100;
  absl::Mutex mu;
  bool appended = false;
  SseParser parser;
  std::thread reader([&] {
    httplib::Client client("http://" + http_);
    client.set_read_timeout(60, 0);
    client.set_socket_options([](socket_t sock) {
      int small = 4096;  // a small window fills fast: the server's writes then block
      setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    });
    bool stalled = false;
    httplib::Result result = client.Get("/api/events?from=start",
                                        {{"Authorization", std::string("Bearer ") + kSec}}, [&](const char* data, size_t size) {
      if (!stalled) {  // stop reading until every append has been acknowledged
        stalled = true;
        absl::MutexLock lock(&mu);
        mu.Await(absl::Condition(&appended));
      }
      parser.Feed(data, size);
      return parser.messages().empty() ||
             parser.messages().back().id != std::to_string(kBatches * kPerBatch);
    });
    if (!result && result.error() != httplib::Error::Canceled) {
      ADD_FAILURE() << "the stream failed: " << httplib::to_string(result.error());
    }
  });
  absl::SleepFor(absl::Milliseconds(300));
  auto channel = grpc::CreateChannel(irmd_->address(), grpc::InsecureChannelCredentials());
  auto log = api::v1::LogService::NewStub(channel);
  const std::string payload = absl::StrCat(R"({"pad":")", std::string(2000, 'x'), R"("})");
  const absl::Time start = absl::Now();
  for (int b = 0; b < kBatches; ++b) {
    api::v1::AppendRequest request;
    request.set_stream(absl::StrCat("bulk-", b % 3));
    for (int i = 0; i < kPerBatch; ++i) {
      api::v1::ProposedEvent* event = request.add_events();
      event->set_type("Bulk");
      event->set_content_type(event::v1::CONTENT_TYPE_JSON);
      event->set_data(payload);
    }
    grpc::ClientContext context;
    context.AddMetadata("authorization", std::string("Bearer ") + kSec);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    api::v1::AppendResponse response;
    grpc::Status status = log->Append(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // About 4 MB went into the log while the stream's client read nothing.
  EXPECT_LT(absl::Now() - start, absl::Seconds(20)) << "appends waited for a stalled reader";
  {
    absl::MutexLock lock(&mu);
    appended = true;
  }
  reader.join();
  std::vector<int> expected;
  for (int p = 1; p <= kBatches * kPerBatch; ++p) expected.push_back(p);
  std::vector<int> positions;
  for (const SseMessage& m : parser.messages()) {
    if (!m.data.empty()) positions.push_back(json::parse(m.data)["position"].get<int>());
  }
  EXPECT_EQ(positions, expected)
      << "every event once, in order; messages " << parser.messages().size() << ", last id "
      << (parser.messages().empty() ? "-" : parser.messages().back().id) << ", comments "
      << parser.comments().size();
}

}  // namespace
}  // namespace irm::tests
