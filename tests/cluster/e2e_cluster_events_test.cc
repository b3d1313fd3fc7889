// The HTTP side's event stream in cluster mode (docs/cluster.md, "Subscriptions that move
// between nodes"): 3 real etcd members and 3 real irmd nodes serving `--http`; node 2
// reaches etcd through TCP proxies the test cuts and heals (cluster_fixture.h).
//  - a browser that read further on node 0 reconnects to node 2, whose copy is behind its
//    Last-Event-ID: node 2 sends heartbeats while its copy catches up, then every later
//    event once, in order, never an id at or below the one it resumed from;
//  - a start past the cluster's head is refused with 400 OUT_OF_RANGE, naming both;
//  - a stream waiting for the copy ends when irmd shuts down (irmd exits 0 at once).
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/cluster/cluster_fixture.h"
#include "tests/http_fixture.h"
#include "tests/support/run_irm.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;

class E2eClusterEventsTest : public ClusterFixture {
 protected:
  E2eClusterEventsTest() { serve_http_ = true; }
};

// Appends `count` events the observer view (no --auth) shows: IRG sessions, public facts
// (engine/access/visibility.h), each of one day, numbered and dated in log order.
void AppendOn(const std::string& address, int count) {
  static int session = 0;
  for (int k = 0; k < count; ++k) {
    ++session;
    const std::string day = absl::FormatCivilTime(absl::CivilDay(2001, 1, 1) + 3 * session);
    IrmResult append =
        RunIrm(address, {"irg", "session", "add", "--number", absl::StrCat(session), "--from",
                         day, "--to", day, "--place", "Vienna"});
    ASSERT_EQ(append.exit_code, 0) << append;
  }
}

// One GET /api/events read on a thread of its own until destroyed or the stream ends.
// heartbeat=1, so the reader sees something every second and stops within one of Stop().
class SseReader {
 public:
  SseReader(const std::string& http, const std::string& last_event_id) {
    httplib::Headers headers;
    if (!last_event_id.empty()) headers.emplace("Last-Event-ID", last_event_id);
    thread_ = std::thread([this, http, headers] {
      httplib::Client client("http://" + http);
      client.set_read_timeout(60, 0);
      client.Get("/api/events?heartbeat=1", headers, [this](const char* data, size_t size) {
        absl::MutexLock lock(&mu_);
        parser_.Feed(data, size);
        return !stop_;
      });
      absl::MutexLock lock(&mu_);
      finished_ = true;
    });
  }
  ~SseReader() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
  }

  // The positions of the events received (the id: of messages with data).
  std::vector<uint64_t> positions() {
    absl::MutexLock lock(&mu_);
    return PositionsLocked();
  }
  // Every id: received, with or without data.
  std::vector<uint64_t> ids() {
    absl::MutexLock lock(&mu_);
    std::vector<uint64_t> ids;
    for (const SseMessage& m : parser_.messages()) {
      uint64_t id = 0;
      if (absl::SimpleAtoi(m.id, &id)) ids.push_back(id);
    }
    return ids;
  }
  std::vector<std::string> comments() {
    absl::MutexLock lock(&mu_);
    return parser_.comments();
  }
  // True once `count` events arrived (false if the stream ended first or `timeout` passed).
  bool WaitForEvents(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return PositionsLocked().size() >= count || finished_;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout) &&
           PositionsLocked().size() >= count;
  }
  // True once `count` comments that contain `text` arrived.
  bool WaitForComments(const std::string& text, size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, &text, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      size_t n = 0;
      for (const std::string& c : parser_.comments()) n += absl::StrContains(c, text) ? 1 : 0;
      return n >= count || finished_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    size_t n = 0;
    for (const std::string& c : parser_.comments()) n += absl::StrContains(c, text) ? 1 : 0;
    return n >= count;
  }
  // True once the server ended the stream.
  bool WaitForEnd(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&finished_), timeout);
  }

 private:
  std::vector<uint64_t> PositionsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<uint64_t> positions;
    for (const SseMessage& m : parser_.messages()) {
      uint64_t id = 0;
      if (!m.data.empty() && absl::SimpleAtoi(m.id, &id)) positions.push_back(id);
    }
    return positions;
  }

  absl::Mutex mu_;
  SseParser parser_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

TEST_F(E2eClusterEventsTest, ResumesOnANodeBehindItsLastEventIdOnceEach) {
  HealthWatch writes(nodes_[2]->address(), "irm.cluster.writes");
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kServing, absl::Seconds(20)));
  ASSERT_FALSE(http_address(2).empty()) << nodes_[2]->stderr_text();
  AppendOn(nodes_[0]->address(), 5);
  SnapshotAt(2, 5);
  CutNode2();
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kNotServing, absl::Seconds(20)));
  AppendOn(nodes_[0]->address(), 10);  // 6..15: node 2 does not get them

  // A browser reads everything on node 0; its Last-Event-ID is then 15.
  std::string last_event_id;
  {
    SseReader on_a(http_address(0), "0");
    ASSERT_TRUE(on_a.WaitForEvents(15, absl::Seconds(20)));
    std::vector<uint64_t> positions = on_a.positions();
    ASSERT_EQ(positions.size(), 15u);
    EXPECT_EQ(positions.front(), 1u);
    last_event_id = absl::StrCat(positions.back());
  }
  ASSERT_EQ(last_event_id, "15");

  // It reconnects to node 2, whose copy ends at 5: node 2 keeps the stream open with
  // heartbeats (while cut off it cannot tell how far the cluster is, so it does not refuse).
  SseReader on_b(http_address(2), last_event_id);
  ASSERT_TRUE(on_b.WaitForComments("waiting for it to reach 15", 2, absl::Seconds(10)))
      << ::testing::PrintToString(on_b.comments());
  EXPECT_TRUE(on_b.positions().empty());
  AppendOn(nodes_[0]->address(), 5);  // 16..20
  HealNode2();
  ASSERT_TRUE(on_b.WaitForEvents(5, absl::Seconds(30)))
      << ::testing::PrintToString(on_b.comments());
  EXPECT_EQ(on_b.positions(), (std::vector<uint64_t>{16, 17, 18, 19, 20}));
  AppendOn(nodes_[0]->address(), 1);  // live events keep coming, once each
  ASSERT_TRUE(on_b.WaitForEvents(6, absl::Seconds(20)));
  EXPECT_EQ(on_b.positions(), (std::vector<uint64_t>{16, 17, 18, 19, 20, 21}));
  for (uint64_t id : on_b.ids()) {
    EXPECT_GT(id, 15u) << "an id at or below the Last-Event-ID the browser resumed from";
  }

  // Connected again, node 2 refuses a start past the cluster's head, in the JSON every
  // HTTP refusal uses.
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kServing, absl::Seconds(20)));
  for (const auto& [path, headers] :
       std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>>{
           {"/api/events", {{"Last-Event-ID", "1000"}}}, {"/api/events?from=1001", {}}}) {
    HttpAnswer beyond = HttpGet(http_address(2), path, headers);
    EXPECT_EQ(beyond.status, 400) << path << ": " << beyond.text;
    ASSERT_TRUE(beyond.body.is_object()) << beyond.text;
    const nlohmann::json& error = beyond.body["error"];
    EXPECT_EQ(error.value("code", ""), "OUT_OF_RANGE") << beyond.text;
    EXPECT_EQ(error.value("status", 0), 400) << beyond.text;
    EXPECT_THAT(error.value("message", ""), HasSubstr("position 1001")) << beyond.text;
    EXPECT_THAT(error.value("message", ""), HasSubstr("cluster's head 21")) << beyond.text;
    EXPECT_EQ(error.value("reason", ""), "BEYOND_CLUSTER_HEAD") << beyond.text;
  }
  // Up to the head + 1 is fine: Last-Event-ID 21 opens a stream that waits for 22.
  {
    SseReader at_head(http_address(2), "21");
    AppendOn(nodes_[1]->address(), 1);
    ASSERT_TRUE(at_head.WaitForEvents(1, absl::Seconds(20)));
    EXPECT_EQ(at_head.positions(), (std::vector<uint64_t>{22}));
  }

  // Cut off again and behind a browser's Last-Event-ID: irmd's shutdown ends the wait.
  CutNode2();
  ASSERT_TRUE(writes.WaitFor(HealthWatch::kNotServing, absl::Seconds(20)));
  AppendOn(nodes_[0]->address(), 3);  // 23..25
  SseReader waiting(http_address(2), "24");
  ASSERT_TRUE(waiting.WaitForComments("waiting for it to reach 24", 1, absl::Seconds(10)));
  const absl::Time stopping = absl::Now();
  EXPECT_TRUE(nodes_[2]->Stop().ok());
  EXPECT_LT(absl::Now() - stopping, absl::Seconds(10));
  ASSERT_TRUE(waiting.WaitForEnd(absl::Seconds(10)));
  EXPECT_TRUE(waiting.positions().empty());
  EXPECT_TRUE(waiting.WaitForComments("irmd is shutting down", 1, absl::Seconds(1)))
      << ::testing::PrintToString(waiting.comments());
}

}  // namespace
}  // namespace irm::tests
