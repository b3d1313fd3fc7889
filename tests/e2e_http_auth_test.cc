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
#include "absl/strings/str_join.h"
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

  // Launches KEN-2 with a focal point and one need whose text, "Secret plan", is restricted
  // (observers never see it).
  void LaunchKenWithSecretNeed() {
    LaunchKen();
    Step(kKen, "focal-point", {"--name", "Ana Ruiz"});
    ASSERT_EQ(As(kKen, {"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
                        "capacity_building", "--text", "Secret plan"})
                  .exit_code,
              0);
  }

  std::string http_;
};

TEST_F(E2eHttpAuthTest, EveryTokenSeesOverHttpWhatItSeesOverGrpc) {
  ASSERT_NO_FATAL_FAILURE(LaunchKenWithSecretNeed());
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
  HttpAnswer observer = Get("/api/reviews/KEN/2", kObs);
  EXPECT_EQ(observer.body, JsonAs(kObs, {"status", "KEN", "--cycle", "2"}));
  EXPECT_EQ(observer.body["focal_point"], nullptr);
  EXPECT_EQ(observer.body["needs"], 1);
  for (const json& event : Events(kObs, head)) {
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
}

// With --auth, HTTP refuses anonymous callers as gRPC does: every route but /healthz and the
// sign-in page needs a token; /api/* answers 401, pages redirect to /login. Signing in sets a
// session cookie that then opens the dashboard and the API; signing out clears it.
TEST_F(E2eHttpAuthTest, EveryRouteButHealthAndSignInNeedsAToken) {
  LaunchKen();
  for (const char* path : {"/api/reviews", "/api/reviews/KEN/2", "/api/reviews/KEN/2?as_of=3",
                           "/api/needs", "/api/events", "/api/nothing"}) {
    HttpAnswer answer = Get(path, "");
    EXPECT_EQ(answer.status, 401) << path << ": " << answer.text;
    EXPECT_EQ(answer.body["error"]["code"], "UNAUTHENTICATED") << path;
    EXPECT_THAT(answer.body["error"]["message"].get<std::string>(),
                ::testing::HasSubstr("/login"));
  }
  httplib::Client client("http://" + http_);
  for (const char* path : {"/", "/index.html", "/somewhere"}) {
    httplib::Result page = client.Get(path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 303) << path;
    EXPECT_EQ(page->get_header_value("Location"), "/login") << path;
    EXPECT_EQ(page->body.find("Dashboard"), std::string::npos) << path;
  }
  EXPECT_EQ(Get("/healthz", "").status, 200);
  httplib::Result login = client.Get("/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  EXPECT_THAT(login->body, ::testing::HasSubstr("<form id=\"login\" method=\"post\" action=\"/login\""));
  EXPECT_EQ(client.Get("/login.css")->status, 200);

  httplib::Result wrong = client.Post("/login", "token=not-a-token",
                                      "application/x-www-form-urlencoded");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  // A token in the address is refused, even a valid one: URLs end up in logs and history.
  httplib::Result in_url = client.Post(std::string("/login?token=") + kKen, "",
                                       "application/x-www-form-urlencoded");
  ASSERT_TRUE(in_url);
  EXPECT_EQ(in_url->status, 400);
  EXPECT_FALSE(in_url->has_header("Set-Cookie"));
  httplib::Result signed_in = client.Post(
      "/login", std::string("token=") + kKen, "application/x-www-form-urlencoded");
  ASSERT_TRUE(signed_in);
  EXPECT_EQ(signed_in->status, 303);
  EXPECT_EQ(signed_in->get_header_value("Location"), "/work");
  const std::string set_cookie = signed_in->get_header_value("Set-Cookie");
  EXPECT_THAT(set_cookie, ::testing::HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, ::testing::HasSubstr("SameSite=Strict"));
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  httplib::Result dashboard = client.Get("/", {{"Cookie", cookie}});
  ASSERT_TRUE(dashboard);
  EXPECT_EQ(dashboard->status, 200);
  HttpAnswer review = HttpGet(http_, "/api/reviews/KEN/2", {{"Cookie", cookie}});
  EXPECT_EQ(review.status, 200) << review.text;
  EXPECT_EQ(review.body, JsonAs(kKen, {"status", "KEN", "--cycle", "2"}))
      << "the session acts as the token's principal";
  httplib::Result out = client.Get("/logout", {{"Cookie", cookie}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 303);
  EXPECT_THAT(out->get_header_value("Set-Cookie"), ::testing::HasSubstr("Max-Age=0"));
}

// Time travel judges access by what the caller may see now: FRA was drawn for KEN-2 when the
// focal point's name was recorded and withdrew afterwards, so as of any position (including
// those when it was a party) FRA sees KEN-2 as any other reviewer does, on gRPC and HTTP.
TEST_F(E2eHttpAuthTest, AsOfReadsJudgeAccessByThePartiesOfNow) {
  LaunchKen();
  Step(kKen, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
  const uint64_t while_drawn = Head();
  // While drawn, FRA sees the name at that position: the fixture is meaningful.
  ASSERT_EQ(JsonAs(kFra, {"status", "KEN", "--cycle", "2", "--as-of",
                          std::to_string(while_drawn)})["focal_point"],
            "Ana Ruiz");
  Step(kSec, "withdraw", {"--reviewer", "FRA", "--on", "2016-06-20"});
  const std::string at = std::to_string(while_drawn);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"status", "KEN", "--cycle", "2", "--as-of", at},
        std::vector<std::string>{"history", "KEN", "--cycle", "2", "--as-of", at},
        std::vector<std::string>{"history", "KEN", "--cycle", "2"},
        std::vector<std::string>{"reviews", "--as-of", "2016-06-16"}}) {
    IrmResult fra = As(kFra, [&] {
      std::vector<std::string> json_args = {"--json"};
      json_args.insert(json_args.end(), args.begin(), args.end());
      return json_args;
    }());
    ASSERT_EQ(fra.exit_code, 0) << fra;
    EXPECT_THAT(fra.out, ::testing::Not(::testing::HasSubstr("Ana Ruiz")))
        << "a former reviewer keeps no access to the review's past: irm "
        << absl::StrJoin(args, " ");
  }
  IrmResult ken = As(kKen, {"--json", "status", "KEN", "--cycle", "2", "--as-of", at});
  EXPECT_THAT(ken.out, ::testing::HasSubstr("Ana Ruiz")) << "KEN's focal point is still a party";
  for (const char* path :
       {"/api/reviews/KEN/2?as_of=2016-06-16", "/api/reviews?as_of=2016-06-16"}) {
    HttpAnswer http = Get(path, kFra);
    ASSERT_EQ(http.status, 200) << path << ": " << http.text;
    EXPECT_THAT(http.text, ::testing::Not(::testing::HasSubstr("Ana Ruiz"))) << path;
  }
}

// --public-dashboard publishes the observer view: no token is an observer, nothing more.
class E2eHttpPublicDashboardTest : public E2eHttpAuthTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--http", "127.0.0.1:0", "--public-dashboard"}));
    http_ = HttpAddressOf(irmd_->stderr_text());
    ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
  }
};

TEST_F(E2eHttpPublicDashboardTest, NoTokenIsTheObserverView) {
  ASSERT_NO_FATAL_FAILURE(LaunchKenWithSecretNeed());
  const int head = static_cast<int>(Head());
  HttpAnswer observer = Get("/api/reviews/KEN/2", "");
  ASSERT_EQ(observer.status, 200) << observer.text;
  EXPECT_EQ(observer.body, JsonAs(kObs, {"status", "KEN", "--cycle", "2"}))
      << "no token is the observer view";
  EXPECT_EQ(observer.body["focal_point"], nullptr);
  for (const json& event : Events("", head)) {
    EXPECT_EQ(event.dump().find("Secret plan"), std::string::npos);
    EXPECT_EQ(event.dump().find("Ana Ruiz"), std::string::npos);
  }
  httplib::Client client("http://" + http_);
  EXPECT_EQ(client.Get("/")->status, 200);
  EXPECT_EQ(Get("/api/reviews", "not-a-token").status, 401) << "a bad token is still refused";
}

// The secretariat's stream of raw events (observers never see raw streams): while its
// client reads nothing, about 4 MB of appends go through unhindered; then it gets them all.
TEST_F(E2eHttpAuthTest, AStalledClientNeverHoldsUpTheWriterAndThenGetsEverything) {
  constexpr int kBatches = 20, kPerBatch = 100;
  absl::Mutex mu;
  bool appended = false;
  bool reader_stalled = false;  // the stream is open and its reader has stopped reading
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
        reader_stalled = true;
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
  {
    absl::MutexLock lock(&mu);
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&reader_stalled), absl::Seconds(30)))
        << "the stream never delivered its first bytes";
  }
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
