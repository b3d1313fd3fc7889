#include "services/http/sse_session.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/subscription/test_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Everything visible, as is.
HttpAccess::EventViewFn SeeAll() {
  return [](const log::EventRecord& record) {
    return std::optional<HttpAccess::ViewedEvent>(HttpAccess::ViewedEvent{record, false});
  };
}

// A connection's sink that keeps what the session writes.
class CapturingSink {
 public:
  CapturingSink() {
    sink_.write = [this](const char* data, size_t size) {
      text_.append(data, size);
      return true;
    };
    sink_.done = [this] { done_ = true; };
    sink_.is_writable = [] { return true; };
  }
  httplib::DataSink& sink() { return sink_; }
  const std::string& text() const { return text_; }
  bool done() const { return done_; }

 private:
  httplib::DataSink sink_;
  std::string text_;
  bool done_ = false;
};

// Turns `session` like httplib's content provider until `until(text)` or the stream ends
// (or 20 s pass); true if `until` held.
bool PumpUntil(SseSession& session, CapturingSink& out,
               const std::function<bool(const std::string&)>& until) {
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (!until(out.text()) && !out.done() && absl::Now() < give_up) {
    if (!session.Pump(out.sink())) break;
  }
  return until(out.text());
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A log of three events, its live feed, and SSE sessions in cluster mode whose start is past
// the feed's copy of the log.
class SseSessionStartWaitTest : public ::testing::Test {
 protected:
  SseSessionStartWaitTest()
      : log_(::testing::UnitTest::GetInstance()->current_test_info()->name()), feed_(log_.get()) {
    for (int i = 0; i < 3; ++i) log_.Append("notes");
  }

  // A session that starts after `last_event_id`, waits `start_wait` for the copy to get there,
  // and is told the cluster's head is `cluster_head`.
  std::shared_ptr<SseSession> StartAfter(uint64_t last_event_id, absl::Duration start_wait,
                                         uint64_t cluster_head) {
    SseSession::Options options;
    options.heartbeat = absl::Milliseconds(50);
    options.start_wait = start_wait;
    options.cluster_head = [cluster_head] { return cluster_head; };
    return std::make_shared<SseSession>(
        &feed_, &registry_, SeeAll(), "observer",
        subscription::SubscriptionCursor(&feed_, subscription::EventFilter(), last_event_id + 1,
                                         1000, /*wait_for_start=*/true),
        "test", &stopping_, options);
  }

  subscription::TestLog log_;
  subscription::LiveFeed feed_;
  SubscriptionRegistry registry_;
  std::atomic<bool> stopping_{false};
};

// A Last-Event-ID past this node's copy (cluster mode): heartbeats naming the copy's position
// until it gets there, then the events from the start on, none before it.
TEST_F(SseSessionStartWaitTest, WaitsWithHeartbeatsThenStreamsFromTheStart) {
  auto session = StartAfter(5, absl::Seconds(30), 9);
  CapturingSink out;
  ASSERT_TRUE(PumpUntil(*session, out, [](const std::string& text) {
    return Count(text, "copy of the log is at position 3, waiting for it to reach 5") >= 2;
  })) << out.text();
  EXPECT_THAT(out.text(), Not(HasSubstr("id:")));
  log_.Append("notes", "Noted", 4);  // 4..7
  ASSERT_TRUE(PumpUntil(*session, out,
                        [](const std::string& text) { return absl::StrContains(text, "id: 7\n"); }))
      << out.text();
  EXPECT_THAT(out.text(), HasSubstr("id: 6\n"));
  EXPECT_THAT(out.text(), Not(HasSubstr("id: 4\n")));
  EXPECT_THAT(out.text(), Not(HasSubstr("id: 5\n")));
  EXPECT_EQ(Count(out.text(), "id: 6\n"), 1u);
  stopping_ = true;
  ASSERT_TRUE(PumpUntil(*session, out, [](const std::string& text) {
    return absl::StrContains(text, "irmd is shutting down; reconnect with Last-Event-ID 7");
  })) << out.text();
  EXPECT_TRUE(out.done());
}

// The wait is bounded: past start_wait the stream ends with an UNAVAILABLE error event
// naming both positions and the cluster's head.
TEST_F(SseSessionStartWaitTest, EndsWithUnavailableAfterTheWait) {
  const absl::Time started = absl::Now();
  auto session = StartAfter(9, absl::Milliseconds(300), 42);
  CapturingSink out;
  ASSERT_TRUE(PumpUntil(*session, out, [](const std::string& text) {
    return absl::StrContains(text, "event: error");
  })) << out.text();
  EXPECT_GE(absl::Now() - started, absl::Milliseconds(300));
  EXPECT_TRUE(out.done());
  EXPECT_THAT(out.text(), HasSubstr("\"code\":\"UNAVAILABLE\""));
  EXPECT_THAT(out.text(), HasSubstr("at position 3, behind the subscription's start 10"));
  EXPECT_THAT(out.text(), HasSubstr("the cluster's head was 42"));
  EXPECT_THAT(out.text(), HasSubstr("reconnect with Last-Event-ID 9"));
  EXPECT_THAT(out.text(), Not(HasSubstr("id:")));
}

}  // namespace
}  // namespace irm::services::http
