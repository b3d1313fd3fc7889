// irmd's HTTP side end to end, Server-Sent Events at /api/events: the real irmd with --http,
// events appended with the real irm, streams read with cpp-httplib's client. Resumption with
// Last-Event-ID (no gap, no duplicate), filters, the observer view, heartbeats, 200
// concurrent clients, and shutdown with streams open.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/http_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;

// Reads GET /api/events?QUERY until `done(parser)` is true or `timeout` passes.
SseParser ReadEvents(const std::string& address, const std::string& query,
                     const httplib::Headers& headers, absl::Duration timeout,
                     const std::function<bool(const SseParser&)>& done) {
  httplib::Client client("http://" + address);
  client.set_read_timeout(absl::ToInt64Seconds(timeout) + 1, 0);
  SseParser parser;
  const absl::Time deadline = absl::Now() + timeout;
  client.Get("/api/events?" + query, headers, [&](const char* data, size_t size) {
    parser.Feed(data, size);
    return !done(parser) && absl::Now() < deadline;
  });
  return parser;
}

// Positions of the messages that carry data.
std::vector<int> DataPositions(const SseParser& parser) {
  std::vector<int> positions;
  for (const SseMessage& m : parser.messages()) {
    if (!m.data.empty()) {
      json event = json::parse(m.data);
      EXPECT_EQ(std::to_string(event["position"].get<int>()), m.id) << "id: is the position";
      positions.push_back(event["position"].get<int>());
    }
  }
  return positions;
}

class E2eSseTest : public HttpFixture {
 protected:
  void Schedule(const std::string& state) {
    MustIrm({"review", "schedule", state, "--cycle", "2", "--year", "1"});
  }
};

TEST_F(E2eSseTest, ResumesFromLastEventIdWithNoGapAndNoDuplicate) {
  for (const char* state : {"KEN", "FRA", "UGA", "DEU"}) Schedule(state);
  SseParser first = ReadEvents(http_, "from=start", {}, absl::Seconds(10),
                               [](const SseParser& p) { return DataPositions(p).size() >= 2; });
  ASSERT_THAT(DataPositions(first), ::testing::ElementsAre(1, 2, 3, 4));
  const std::string last_id = first.messages()[1].id;  // as if the connection broke after 2
  ASSERT_EQ(last_id, "2");
  for (const char* state : {"BRA", "CHL"}) Schedule(state);
  // A reconnect sends the URL it first used plus Last-Event-ID, which wins over ?from=.
  SseParser second = ReadEvents(http_, "from=start", {{"Last-Event-ID", last_id}},
                                absl::Seconds(10),
                                [](const SseParser& p) { return DataPositions(p).size() >= 4; });
  EXPECT_EQ(DataPositions(second), (std::vector<int>{3, 4, 5, 6}));
  // And from the end of that stream on, once more: nothing is repeated.
  Schedule("PER");
  SseParser third = ReadEvents(http_, "", {{"Last-Event-ID", "6"}}, absl::Seconds(10),
                               [](const SseParser& p) { return !DataPositions(p).empty(); });
  EXPECT_EQ(DataPositions(third), (std::vector<int>{7}));
}

TEST_F(E2eSseTest, FiltersByStreamPrefixAndTypeAndMovesTheIdPastOthers) {
  Schedule("KEN");
  Schedule("FRA");
  MustIrm({"review", "assign-reviewers", "KEN", "--cycle", "2", "--reviewers", "UGA,FRA"});
  Schedule("UGA");
  SseParser kenya = ReadEvents(http_, "from=1&stream_prefix=review-KEN", {}, absl::Seconds(10),
                               [](const SseParser& p) {
                                 return !p.messages().empty() && p.messages().back().id == "4";
                               });
  EXPECT_EQ(DataPositions(kenya), (std::vector<int>{1, 3}));
  EXPECT_EQ(kenya.messages().back().id, "4") << "an id-only message moves Last-Event-ID on";
  SseParser drawn = ReadEvents(http_, "from=1&type=ReviewersDrawn&type=ReviewLaunched", {},
                               absl::Seconds(10),
                               [](const SseParser& p) { return !DataPositions(p).empty(); });
  EXPECT_EQ(DataPositions(drawn), (std::vector<int>{3}));
}

TEST_F(E2eSseTest, ObserversGetPublicEventsOnly) {
  Schedule("KEN");
  MustIrm({"review", "assign-reviewers", "KEN", "--cycle", "2", "--reviewers", "UGA,FRA"});
  MustIrm({"review", "launch", "KEN", "--cycle", "2"});
  MustIrm({"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
           "capacity_building", "--text", "Secret training plan"});
  MustIrm({"review", "focal-point", "KEN", "--cycle", "2", "--name", "Ana Ruiz"});
  MustIrm({"append", "notes-1", "Note", "--data", R"({"text":"internal"})"});
  SseParser seen = ReadEvents(http_, "from=start", {}, absl::Seconds(10),
                              [](const SseParser& p) {
                                return !p.messages().empty() && p.messages().back().id == "6";
                              });
  EXPECT_EQ(DataPositions(seen), (std::vector<int>{1, 2, 3, 5}));
  for (const SseMessage& m : seen.messages()) {
    EXPECT_EQ(m.data.find("Secret"), std::string::npos);
    EXPECT_EQ(m.data.find("Ana Ruiz"), std::string::npos);
    EXPECT_EQ(m.data.find("anonymous"), std::string::npos) << "no actor names for observers";
  }
}

// An observer's view of an event is redacted (no actor name) and says so; a public event's
// data is still given byte for byte: protobuf data as data_base64, as `irm read --json` (the
// full view here) gives it, with its JSON mapping as `decoded` for people.
TEST_F(E2eSseTest, AnObserversViewSaysRedactedAndKeepsPublicDataExact) {
  Schedule("KEN");
  SseParser seen = ReadEvents(http_, "from=start", {}, absl::Seconds(10),
                              [](const SseParser& p) { return !DataPositions(p).empty(); });
  ASSERT_EQ(DataPositions(seen), (std::vector<int>{1}));
  const json observed = json::parse(seen.messages()[0].data);
  EXPECT_EQ(observed["redacted"], true) << observed;
  EXPECT_FALSE(observed.contains("data")) << observed;
  EXPECT_EQ(observed["decoded"]["year"], 1) << observed;
  std::vector<std::string> read = Lines(Irm({"--json", "read", "review-KEN-2"}).out);
  ASSERT_EQ(read.size(), 1u);
  const json full = json::parse(read[0]);
  EXPECT_FALSE(full.contains("redacted")) << full;
  EXPECT_EQ(observed["data_base64"], full["data_base64"]);
  EXPECT_NE(observed["metadata"], full["metadata"]) << "the actor's name is taken out";
}

TEST_F(E2eSseTest, SendsHeartbeatsWhileIdle) {
  SseParser idle = ReadEvents(http_, "heartbeat=1", {}, absl::Seconds(5),
                              [](const SseParser& p) { return p.comments().size() >= 3; });
  ASSERT_GE(idle.comments().size(), 3u);
  EXPECT_THAT(idle.comments()[0], ::testing::HasSubstr("irmd events from position 1"));
  EXPECT_EQ(idle.comments()[1], ": heartbeat");
}

TEST_F(E2eSseTest, TwoHundredConcurrentClientsReceiveAnAppendedEvent) {
  constexpr int kClients = 200;
  Schedule("KEN");
  std::atomic<int> connected{0};
  std::atomic<int> received{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      bool counted = false;
      SseParser parser = ReadEvents(http_, "", {}, absl::Seconds(90), [&](const SseParser& p) {
        if (!counted && !p.comments().empty()) {
          counted = true;
          ++connected;
        }
        return !DataPositions(p).empty();
      });
      std::vector<int> positions = DataPositions(parser);
      if (positions == std::vector<int>{2}) ++received;
    });
  }
  // Threads are always joined (an ASSERT here would leave them running and abort).
  const absl::Time deadline = absl::Now() + absl::Seconds(45);
  while (connected.load() < kClients && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(connected.load(), kClients) << "clients that got the stream's first line";
  const absl::Time appended = absl::Now();
  Schedule("FRA");
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(received.load(), kClients);
  EXPECT_LT(absl::Now() - appended, absl::Seconds(30));
}

TEST_F(E2eSseTest, ShutdownEndsOpenStreamsAndExitsZero) {
  std::vector<std::thread> clients;
  std::atomic<int> ended{0};
  std::atomic<int> connected{0};
  for (int i = 0; i < 5; ++i) {
    clients.emplace_back([&] {
      bool counted = false;
      ReadEvents(http_, "", {}, absl::Seconds(60), [&](const SseParser& p) {
        if (!counted && !p.comments().empty()) {
          counted = true;
          ++connected;
        }
        return false;
      });
      ++ended;
    });
  }
  // Every stream is open (its first line arrived) before irmd stops.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (connected.load() < 5 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(connected.load(), 5) << "streams open before the stop";
  const absl::Time stop = absl::Now();
  absl::Status stopped = irmd_->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
  irmd_.reset();
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(ended.load(), 5);
  EXPECT_LT(absl::Now() - stop, absl::Seconds(15));
}

}  // namespace
}  // namespace irm::tests
